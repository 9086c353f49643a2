/* cond_pads: target-side breakpoint conditions on a hot function (watch.py, issue 7).
 *
 * Usage: cond_pads THREADS CALLS
 *   THREADS threads (default 1; main alone when 1) each call hit(seq) CALLS times (default
 *   20000), with seq = thread * CALLS + k for k = 0..CALLS-1, so every seq is called once.
 *   The threads run hit() concurrently (each adds to its own thread-local sum), and hit()'s
 *   first instruction is a 9-byte load of that thread-local, long enough for a jump to a
 *   pad: the stub can let the program evaluate a condition there itself. Prints the sum of
 *   every seq and exits 0 when it is right.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long calls = 20000;
long sum; /* of every seq hit() saw */
static __thread long thread_sum;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) void hit(long seq) { thread_sum += seq; /* HIT-BODY */ }

static void *worker(void *arg) {
  long id = (long)arg;
  for (long k = 0; k < calls; k++) /* WORKER-LOOP */
    hit(id * calls + k);           /* WORKER-CALL */
  pthread_mutex_lock(&lock);
  sum += thread_sum;
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(int argc, char **argv) {
  long threads = argc > 1 ? atol(argv[1]) : 1;
  if (argc > 2)
    calls = atol(argv[2]);
  if (threads <= 1) {
    worker((void *)0);
    threads = 1;
  } else {
    pthread_t tids[64];
    if (threads > 64)
      threads = 64;
    for (long id = 0; id < threads; id++)
      pthread_create(&tids[id], NULL, worker, (void *)id);
    for (long id = 0; id < threads; id++)
      pthread_join(tids[id], NULL);
  }
  long n = threads * calls;
  printf("cond_pads: sum=%ld\n", sum); /* MAIN-END */
  return sum == n * (n - 1) / 2 ? 0 : 1;
}
