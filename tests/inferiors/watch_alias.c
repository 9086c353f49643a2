/* watch_alias: stores near and through pointers to a watched variable (watch.py, issue 7).
 *
 * `watch slots[8]`: poke() writes slots[7], slots[8] or slots[9] through a pointer (its
 * address is only known at run time, and the neighbours lie within bytes of the watched
 * one), far[] takes stores between them, and a memset (rep stos or vector stores) clears
 * the whole array at the end. The watched slot changes 13 times in the loop (to 1, 4, ...,
 * 37), then to 0 in the memset. Exit code 0.
 */
#include <stdio.h>
#include <string.h>

long slots[16];
long far_away[1024];

__attribute__((noinline)) void poke(long *p, long v) { *p = v; /* POKE-STORE */ }

int main(void) {
  for (long i = 0; i < 40; i++) {
    far_away[(i * 37) % 1024] += i;
    poke(&slots[7 + i % 3], i);
  }
  memset(slots, 0, sizeof slots); /* MEMSET */
  printf("watch_alias: %ld %ld\n", slots[8], far_away[37]);
  return 0;
}
