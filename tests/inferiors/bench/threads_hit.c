/* Benchmark inferior: N threads (argv[1], default 256) each call hit() K times (argv[2],
 * default 4) once all have started. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_barrier_t go;
static int per_thread = 4;
volatile long counter;

__attribute__((noinline)) void hit(long i) { __atomic_add_fetch(&counter, i, __ATOMIC_RELAXED); }

static void *worker(void *arg) {
  pthread_barrier_wait(&go);
  for (int i = 0; i < per_thread; i++)
    hit((long)arg);
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 256;
  per_thread = argc > 2 ? atoi(argv[2]) : 4;
  pthread_t *threads = calloc((size_t)n, sizeof *threads);
  pthread_barrier_init(&go, NULL, (unsigned)n);
  for (long i = 0; i < n; i++)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < n; i++)
    pthread_join(threads[i], NULL);
  printf("counter=%ld\n", counter);
  return 0;
}
