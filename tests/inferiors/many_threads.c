/* many_threads: N threads (default 200; argv[1]) that are all alive at once, half of
 * them spinning, half blocked in nanosleep, while main spins until the debugger sets
 * `release` (or 30 s pass). Prints "many_threads: N threads running" once all are
 * started, then "many_threads: released=1 exit" and exits 0 (1 on the timeout).
 *
 * The IDE-style MI test uses it with 0 threads: checkpoint() is its breakpoint,
 * with arguments and locals of a few kinds.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile int release;
static volatile int stop_workers;
static pthread_barrier_t started;

struct config {
  int threads;
  const char *label;
};

static void *worker(void *arg) {
  long id = (long)arg;
  pthread_barrier_wait(&started);
  struct timespec ts = {0, 2 * 1000 * 1000};
  while (!stop_workers) {
    if (id % 2)
      nanosleep(&ts, NULL);
  }
  return NULL;
}

int checkpoint(int n, const char *label) {
  int doubled = n * 2; /* CHECKPOINT-BODY */
  struct config cfg = {n, label};
  return doubled + cfg.threads;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  pthread_t *threads = calloc(n > 0 ? n : 1, sizeof *threads);
  pthread_barrier_init(&started, NULL, n + 1);
  for (long i = 0; i < n; i++)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  pthread_barrier_wait(&started);
  int value = checkpoint(n, "spin"); /* MAIN-CHECKPOINT */
  printf("many_threads: %d threads running\n", n);
  fflush(stdout);
  double deadline = now() + 30;
  while (!release && now() < deadline)
    ; /* SPIN-LOOP */
  stop_workers = 1;
  for (int i = 0; i < n; i++)
    pthread_join(threads[i], NULL);
  printf("many_threads: released=%d value=%d exit\n", release, value);
  fflush(stdout);
  return release ? 0 : 1;
}
