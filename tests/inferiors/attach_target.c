/* attach_target: a running multithreaded process to attach to.
 *
 * main starts NUM_WORKERS threads that tick (tick() increments a counter, then
 * nanosleep 5 ms) and prints "attach_target: ready pid=N" once they all run.
 * It then waits for SIGUSR1 (sigwait), checks the workers are still ticking,
 * prints "attach_target: exiting cleanly ticks_advanced=1" and exits 0 — so a
 * process left harmed by a detach (a breakpoint left behind, a thread left
 * stopped, a signal eaten) does not print that line or exit 0. A 60 s alarm
 * bounds its life if the test forgets it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define NUM_WORKERS 4

static volatile long ticks[NUM_WORKERS];
static pthread_barrier_t started;

void tick(int id) { ticks[id]++; /* TICK-BODY */ }

static void *worker(void *arg) {
  int id = (int)(long)arg;
  struct timespec ts = {0, 5 * 1000 * 1000};
  pthread_barrier_wait(&started);
  for (;;) {
    tick(id);
    nanosleep(&ts, NULL);
  }
  return NULL;
}

static long total_ticks(void) {
  long sum = 0;
  for (int i = 0; i < NUM_WORKERS; i++)
    sum += ticks[i];
  return sum;
}

int main(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by the workers */
  alarm(60);
  pthread_t threads[NUM_WORKERS];
  pthread_barrier_init(&started, NULL, NUM_WORKERS + 1);
  for (long id = 0; id < NUM_WORKERS; id++)
    pthread_create(&threads[id], NULL, worker, (void *)id);
  pthread_barrier_wait(&started);
  printf("attach_target: ready pid=%d\n", (int)getpid());
  fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  long before = total_ticks();
  struct timespec ts = {0, 50 * 1000 * 1000};
  nanosleep(&ts, NULL);
  printf("attach_target: exiting cleanly ticks_advanced=%d\n", total_ticks() > before);
  fflush(stdout);
  return 0;
}
