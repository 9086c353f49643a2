/* Scenario g: exit_group right after clone. 0..5 threads hit a breakpoint in a loop;
 * once they made a random number of calls (0..19), the leader creates one more thread
 * and calls exit_group(4) at once: the new thread's first event may be its death. */
#include "stress_common.h"

static void *hitter(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0;; seq++) {
    counted_hit(id, seq);
    spin(3000);
  }
  return NULL;
}

static void *newborn(void *arg) {
  counted_hit(99, 0);
  for (;;)
    spin(1000);
  return NULL;
}

int main(void) {
  unsigned seed = stress_seed();
  int hitters = (int)(stress_rand(&seed) % 6);
  long target = hitters ? (long)(stress_rand(&seed) % 20) : 0;
  pthread_t t;
  for (long i = 0; i < hitters; i++)
    pthread_create(&t, NULL, hitter, (void *)(i + 1));
  while (atomic_load(&stress_calls) < target)
    sched_yield();
  pthread_create(&t, NULL, newborn, NULL);
  raw_exit_group(4); /* EXIT-LINE */
}
