/* watch_threads: a watched global written by several threads (watch.py, issue 7).
 *
 * Usage: watch_threads [N]
 *   NUM_WORKERS threads each add 1 to `counter` N times (default 5), under a mutex, so
 *   the watched value goes 0, 1, ..., NUM_WORKERS*N, one write at a time. main joins
 *   them and exits 0 when the total is right, 1 otherwise.
 *
 * The workers wait on a barrier with main before writing, so every write happens
 * while all of them exist.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NUM_WORKERS 4

int counter; /* the watched global */
static int per_worker = 5;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start_barrier;

static void *worker(void *arg) {
  (void)arg;
  pthread_barrier_wait(&start_barrier);
  for (int i = 0; i < per_worker; i++) {
    pthread_mutex_lock(&lock);
    counter = counter + 1;       /* COUNTER-WRITE */
    pthread_mutex_unlock(&lock); /* COUNTER-UNLOCK */
  }
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t threads[NUM_WORKERS];
  if (argc > 1)
    per_worker = atoi(argv[1]);
  pthread_barrier_init(&start_barrier, NULL, NUM_WORKERS + 1);
  for (long id = 0; id < NUM_WORKERS; id++)
    pthread_create(&threads[id], NULL, worker, (void *)id);
  pthread_barrier_wait(&start_barrier); /* WORKERS-STARTED */
  for (int id = 0; id < NUM_WORKERS; id++)
    pthread_join(threads[id], NULL);
  printf("watch_threads: counter=%d\n", counter);
  return counter == NUM_WORKERS * per_worker ? 0 : 1;
}
