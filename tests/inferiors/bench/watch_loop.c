/* Benchmark inferior: a loop of N iterations (argv[1], default 300), ~20 instructions each,
 * that writes a new value to `watched` every iteration, then calls done(). */
#include <stdio.h>
#include <stdlib.h>

volatile long watched;

__attribute__((noinline)) void done(void) {}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 300;
  long scratch[8] = {0}; // on the stack: the other work writes no page near `watched`
  for (long i = 0; i < n; i++) {
    scratch[i & 7] += i * 3; // other work between the writes
    watched = i + 1;         // a new value each time: gdb's `watch` stops only on a change
  }
  done();
  printf("watched=%ld scratch=%ld\n", watched, scratch[0]);
  return 0;
}
