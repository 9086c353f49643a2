/* watch_local: a watched local variable whose function returns (watch.py, issue 7).
 *
 * accumulate() sums 1..n into its local `total` and returns; gdb, watching `total`,
 * reports each change and then deletes the watchpoint when the frame is gone, stopping
 * in main right after the call. Exit code 0.
 */
#include <stdio.h>

int accumulate(int n) {
  int total = 0;               /* ACCUMULATE-START */
  for (int k = 1; k <= n; k++) /* ACCUMULATE-LOOP */
    total += k;                /* ACCUMULATE-ADD */
  return total;
}

int main(void) {
  int result = accumulate(3);                 /* CALL-ACCUMULATE */
  printf("watch_local: result=%d\n", result); /* AFTER-CALL */
  return result == 6 ? 0 : 1;
}
