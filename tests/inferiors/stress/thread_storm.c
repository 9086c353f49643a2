/* Scenario f: threads created and exiting in a storm (48 threads, at most 8 alive at a
 * time, each hitting the breakpoint 3 times) while the leader hits it too. At the end
 * the program prints its own count of hit() calls; gdb's count must equal it. */
#include "stress_common.h"
#include <semaphore.h>

#define TOTAL 48
#define ALIVE 8
#define HITS 3

static sem_t slots;

static void *worker(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0; seq < HITS; seq++)
    counted_hit(id, seq);
  sem_post(&slots);
  return NULL;
}

int main(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  sem_init(&slots, 0, ALIVE);
  int seq = 0;
  for (long i = 0; i < TOTAL; i++) {
    sem_wait(&slots);
    pthread_t t;
    if (pthread_create(&t, &attr, worker, (void *)(i + 1)) != 0) {
      perror("pthread_create");
      return 2;
    }
    if (i % 4 == 0)
      counted_hit(0, seq++);
  }
  for (int i = 0; i < ALIVE; i++)
    sem_wait(&slots);
  printf("calls %ld\n", atomic_load(&stress_calls));
  fflush(stdout);
  return 0;
}
