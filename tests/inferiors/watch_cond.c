/* watch_cond: a watched store that is also a conditional breakpoint's instruction
 * (watch.py, issue 7).
 *
 * store(i) for i = 1..3 writes i to the watched `watched`; store is compiled so that its
 * first instruction after the prologue is that store, where `break store if i == 99` puts
 * its breakpoint. A stub that evaluates the condition (false) and steps the thread past
 * its breakpoint itself must still report each change (debug registers or emulated).
 */
#include <stdio.h>

volatile long watched;

__attribute__((noinline, optimize("O1"))) void store(long i) { watched = i; /* COND-STORE */ }

int main(void) {
  for (long i = 1; i <= 3; i++)
    store(i); /* COND-CALL */
  printf("watch_cond: watched=%ld\n", watched);
  return 0;
}
