/* Benchmark inferior: calls hit() N times (argv[1], default 2000). */
#include <stdio.h>
#include <stdlib.h>

volatile long counter;

__attribute__((noinline)) void hit(long i) { counter += i; }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000;
  for (long i = 0; i < n; i++)
    hit(i);
  printf("counter=%ld\n", counter);
  return 0;
}
