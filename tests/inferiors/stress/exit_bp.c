/* Scenario a: a thread calls exit(5) while 8 siblings hit a breakpoint in a loop.
 * The exiter waits until the siblings made a random number of hit() calls (20..219),
 * so exit_group lands while they are stopping at, reported at, or stepping over it. */
#include "stress_common.h"

#define SIBLINGS 8

static void *sibling(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0;; seq++) {
    counted_hit(id, seq);
    spin(2000);
  }
  return NULL;
}

static void *exiter(void *arg) {
  long target = 20 + (long)(unsigned long)arg % 200;
  while (atomic_load(&stress_calls) < target)
    sched_yield();
  exit(5); /* EXIT-LINE */
}

int main(void) {
  unsigned seed = stress_seed();
  pthread_t t[SIBLINGS + 1];
  for (long i = 0; i < SIBLINGS; i++)
    pthread_create(&t[i], NULL, sibling, (void *)(i + 1));
  pthread_create(&t[SIBLINGS], NULL, exiter, (void *)(unsigned long)stress_rand(&seed));
  pthread_join(t[SIBLINGS], NULL);
  return 1; /* not reached */
}
