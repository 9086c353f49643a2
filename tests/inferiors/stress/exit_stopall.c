/* Scenario b: exit_group lands while the stub is in the middle of stopping all threads.
 * 16 threads call hit() back to back (every resume of one of them is followed by a
 * stop-all at once); another thread waits a random 0..20 ms after the first hit, then
 * calls exit_group(3) directly. */
#include "stress_common.h"

#define HITTERS 16

static void *hitter(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0;; seq++)
    counted_hit(id, seq);
  return NULL;
}

static void *exiter(void *arg) {
  long delay_us = (long)((unsigned long)arg % 20000);
  while (atomic_load(&stress_calls) == 0)
    sched_yield();
  sleep_us(delay_us);
  raw_exit_group(3);
}

int main(void) {
  unsigned seed = stress_seed();
  pthread_t t[HITTERS + 1];
  for (long i = 0; i < HITTERS; i++)
    pthread_create(&t[i], NULL, hitter, (void *)(i + 1));
  pthread_create(&t[HITTERS], NULL, exiter, (void *)(unsigned long)stress_rand(&seed));
  pthread_join(t[HITTERS], NULL);
  return 1;
}
