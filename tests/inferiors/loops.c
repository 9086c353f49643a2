/* loops: plain breakpoint machinery over long loops (watch.py, issue 7).
 *
 * Usage: loops [COUNT]
 *   visit(i) is called for i = 0..COUNT-1 (default 20000): `break visit if i == COUNT-1`
 *   stops exactly once, whichever side evaluates the condition. Then one source line
 *   runs a 1000-iteration loop (`next` over it, with and without range stepping), and
 *   tick(k) is called TICKS times (dprintf; `until` out of that loop). Exit code 0.
 */
#include <stdio.h>
#include <stdlib.h>

#define TICKS 5

/* Line layout matters here (markers, one-line loop): kept as written. */
// clang-format off
long total;   /* sum of visit()'s arguments */
long sum;     /* the one-line loop's result */
int ticks;    /* tick() calls */

void visit(int i) {
  total += i; /* VISIT-BODY */
}

void tick(int k) {
  ticks += k; /* TICK-BODY */
}

void long_loop(void) {
  int i;
  sum = 0; /* LOOP-BEFORE */
  for (i = 0; i < 1000; i++) sum += i; /* LOOP-LINE */
  sum = sum + 1; /* LOOP-AFTER */
}
// clang-format on

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 20000;
  for (int i = 0; i < count; i++) /* MAIN-VISITS */
    visit(i);
  long_loop();                                                      /* MAIN-LONG-LOOP */
  for (int k = 1; k <= TICKS; k++)                                  /* MAIN-TICK-LOOP */
    tick(k);                                                        /* MAIN-TICK */
  printf("loops: total=%ld sum=%ld ticks=%d\n", total, sum, ticks); /* MAIN-END */
  return 0;
}
