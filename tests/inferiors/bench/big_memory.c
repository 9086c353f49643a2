/* Benchmark inferior: a 64 MiB buffer to dump, then a breakpoint-able stop. */
#include <stdlib.h>
#include <string.h>

#define SIZE (64L * 1024 * 1024)
unsigned char *buffer;

__attribute__((noinline)) void ready(void) { __asm__ volatile("" ::: "memory"); }

int main(void) {
  buffer = malloc(SIZE);
  for (long i = 0; i < SIZE; i++)
    buffer[i] = (unsigned char)(i * 131);
  ready();
  free(buffer);
  return 0;
}
