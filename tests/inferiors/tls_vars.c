/* Thread-local storage through the stub: a __thread variable with a different value in each
   of two threads, and errno set in the second one. main stops in `main_stop` once the worker
   has set its values and waits on the barrier. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

__thread int tls_var = 11;

static pthread_barrier_t ready;

void main_stop(void) {}

static void *worker(void *arg) {
  (void)arg;
  tls_var = 22;
  errno = 34; /* ERANGE */
  pthread_barrier_wait(&ready);
  pthread_barrier_wait(&ready);
  return NULL;
}

int main(void) {
  pthread_t thread;
  pthread_barrier_init(&ready, NULL, 2);
  errno = 0;
  pthread_create(&thread, NULL, worker, NULL);
  pthread_barrier_wait(&ready);
  main_stop();
  pthread_barrier_wait(&ready);
  pthread_join(thread, NULL);
  printf("tls_var %d\n", tls_var);
  return 0;
}
