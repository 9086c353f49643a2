/* syscalls N: main calls write(2) exactly N times (5 if N is missing), one line each,
 * while another thread makes 2000 getppid() calls; nothing else in the program writes
 * (no stdio on stdout). Barriers keep that thread alive from before the first write to
 * after the last, so a debugger knows of both threads at every stop. Exits 0 once every
 * write wrote its whole line. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t started, finished;

static void *other_syscalls(void *arg) {
  (void)arg;
  pthread_barrier_wait(&started);
  for (int i = 0; i < 2000; i++)
    getppid();
  pthread_barrier_wait(&finished);
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5;
  int short_writes = 0;
  pthread_t thread;
  pthread_barrier_init(&started, NULL, 2);
  pthread_barrier_init(&finished, NULL, 2);
  pthread_create(&thread, NULL, other_syscalls, NULL);
  pthread_barrier_wait(&started);
  for (int i = 0; i < n; i++) {
    char line[32];
    int len = snprintf(line, sizeof line, "syscalls: write %d\n", i + 1);
    if (write(1, line, (size_t)len) != len) /* WRITE-LINE */
      short_writes++;
  }
  pthread_barrier_wait(&finished);
  pthread_join(thread, NULL);
  return short_writes != 0;
}
