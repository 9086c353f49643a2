/* threads_demo: the bundled multithreaded demo.
 *
 * main starts NUM_WORKERS threads; each calls work_item(id, step) STEPS_PER_WORKER
 * times, adding to a mutex-protected shared total. main joins them and checks
 * the total. Exit code 0 when the total is right, 1 otherwise.
 *
 * The workers wait on a barrier (together with main) before working, and on a
 * second one (among themselves) before returning, so whenever a thread is in
 * work_item all NUM_WORKERS workers plus main exist: `info threads` always shows
 * NUM_WORKERS + 1 threads at a breakpoint in work_item.
 */
#include <pthread.h>
#include <stdio.h>

#define NUM_WORKERS 4
#define STEPS_PER_WORKER 3

struct shared_total {
  pthread_mutex_t lock;
  long total;
  int calls;
};

static struct shared_total shared = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
static pthread_barrier_t start_barrier;
static pthread_barrier_t done_barrier;

long work_item(int id, int step) {
  long contribution = (long)(id + 1) * 100 + step; /* WORK-ITEM-BODY */
  pthread_mutex_lock(&shared.lock);
  shared.total += contribution;
  shared.calls++;
  pthread_mutex_unlock(&shared.lock);
  return contribution;
}

static void *worker(void *arg) {
  int id = (int)(long)arg;
  pthread_barrier_wait(&start_barrier);
  for (int step = 0; step < STEPS_PER_WORKER; step++)
    work_item(id, step);
  pthread_barrier_wait(&done_barrier);
  return NULL;
}

static long expected_total(void) {
  long sum = 0;
  for (int id = 0; id < NUM_WORKERS; id++)
    for (int step = 0; step < STEPS_PER_WORKER; step++)
      sum += (long)(id + 1) * 100 + step;
  return sum;
}

int main(void) {
  pthread_t threads[NUM_WORKERS];
  pthread_barrier_init(&start_barrier, NULL, NUM_WORKERS + 1);
  pthread_barrier_init(&done_barrier, NULL, NUM_WORKERS);
  for (long id = 0; id < NUM_WORKERS; id++)
    pthread_create(&threads[id], NULL, worker, (void *)id);
  pthread_barrier_wait(&start_barrier);
  for (int id = 0; id < NUM_WORKERS; id++)
    pthread_join(threads[id], NULL);
  printf("threads_demo: total=%ld calls=%d expected=%ld\n", shared.total, shared.calls,
         expected_total());
  fflush(stdout);
  return shared.total == expected_total() && shared.calls == NUM_WORKERS * STEPS_PER_WORKER ? 0 : 1;
}
