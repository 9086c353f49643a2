/* Scenario c: SIGKILL from outside (the test driver), while gdb has the program stopped
 * at a breakpoint, and while it runs (4 threads hitting a breakpoint now and then,
 * spinning in between). Runs until killed; a 60 s alarm is only a backstop. */
#include "stress_common.h"

#define THREADS 4

static void *worker(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0;; seq++) {
    counted_hit(id, seq);
    spin(300000);
  }
  return NULL;
}

int main(void) {
  pthread_t t[THREADS];
  alarm(60);
  for (long i = 0; i < THREADS; i++)
    pthread_create(&t[i], NULL, worker, (void *)(i + 1));
  for (;;)
    pause();
}
