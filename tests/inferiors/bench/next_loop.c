/* Benchmark inferior: spin() is one source line that loops N times (argv[1], default 10000),
 * for `next` over it: with range stepping the stub steps the loop, without it gdb does. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) long spin(long n) {
  long i;
  // The whole loop must stay on one line: that line is what `next` steps over.
  // clang-format off
  for (i = 0; i < n; i++) {}
  // clang-format on
  return i;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000;
  printf("i=%ld\n", spin(n));
  return 0;
}
