/* watch_alias: stores near and through pointers to a watched variable (watch.py, issue 7).
 *
 * `watch slots[8]`: poke() writes slots[7], slots[8] or slots[9] through a pointer (its
 * address is only known at run time, and the neighbours lie within bytes of the watched
 * one), far[] takes stores between them, and a memset (rep stos or vector stores) clears
 * the whole array at the end. The watched slot changes 13 times in the loop (to 1, 4, ...,
 * 37), then to 0 in the memset. Meanwhile a second thread spins, reading a flag that main
 * sets at the end (a loop that stores nothing: a stub running it free must still give main
 * its turns). Exit code 0.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

long slots[16];
long far_away[1024];

__attribute__((noinline)) void poke(long *p, long v) { *p = v; /* POKE-STORE */ }

static volatile int go;

static void *spinner(void *arg) {
  while (!go)
    ;
  return arg;
}

int main(void) {
  pthread_t spin;
  pthread_create(&spin, NULL, spinner, NULL);
  for (long i = 0; i < 40; i++) {
    far_away[(i * 37) % 1024] += i;
    poke(&slots[7 + i % 3], i);
  }
  memset(slots, 0, sizeof slots); /* MEMSET */
  go = 1;
  pthread_join(spin, NULL);
  printf("watch_alias: %ld %ld\n", slots[8], far_away[37]);
  return 0;
}
