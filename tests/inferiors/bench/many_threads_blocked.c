/* Benchmark inferior: N threads (argv[1], default 256) blocked in a condition wait, then
 * ready() is called; with argv[2] = "wait" it then waits for a signal (attach target). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t started;

static void *blocked(void *arg) {
  (void)arg;
  pthread_barrier_wait(&started);
  pthread_mutex_lock(&lock);
  for (;;)
    pthread_cond_wait(&never, &lock);
  return NULL;
}

__attribute__((noinline)) void ready(void) { __asm__ volatile("" ::: "memory"); }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 256;
  pthread_barrier_init(&started, NULL, (unsigned)n + 1);
  for (int i = 0; i < n; i++) {
    pthread_t t;
    pthread_create(&t, NULL, blocked, NULL);
  }
  pthread_barrier_wait(&started);
  ready();
  if (argc > 2 && strcmp(argv[2], "wait") == 0) {
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    pause();
  }
  return 0;
}
