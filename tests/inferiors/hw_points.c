/* hw_points: a global that is written and read, and a function to put a hardware
 * breakpoint on (watch.py, issue 7: rwatch, awatch, hbreak; also the probe that tells
 * whether this machine's debug registers work at all, run under a native gdb).
 *
 * main calls touch(k) for k = 1..ROUNDS: touch writes `shared` (k * 10) and reads it
 * back into `seen`. Exit code 0.
 */
#include <stdio.h>

#define ROUNDS 3

int shared; /* written and read: watched */
int seen;   /* what was read */

void touch(int k) {
  shared = k * 10; /* SHARED-WRITE */
  seen = shared;   /* SHARED-READ */
}

int main(void) {
  for (int k = 1; k <= ROUNDS; k++)
    touch(k);
  printf("hw_points: shared=%d seen=%d\n", shared, seen); /* HW-POINTS-END */
  return 0;
}
