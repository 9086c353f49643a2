/* lone_exits: threads that exit while gdb runs only them (scheduler-locking on).
 *
 * First a worker runs alone to its end; then main calls pthread_exit while a second
 * worker waits for it, leaving a zombie leader and one live thread, which exits 0.
 * gdb resuming only the exiting thread must hear "No unwaited-for children left."
 */
#include <pthread.h>
#include <stdio.h>

static pthread_t main_thread;
static pthread_barrier_t ready;

static void *lone_worker(void *arg) {
  (void)arg;
  return NULL; /* LONE-WORKER-RETURN */
}

static void *survivor(void *arg) {
  pthread_barrier_wait(&ready);
  pthread_join(main_thread, NULL); /* SURVIVOR-JOIN */
  printf("lone_exits: survivor outlived main\n");
  return arg;
}

int main(void) {
  pthread_t thread;
  pthread_create(&thread, NULL, lone_worker, NULL);
  pthread_join(thread, NULL);

  main_thread = pthread_self();
  pthread_barrier_init(&ready, NULL, 2);
  pthread_create(&thread, NULL, survivor, NULL);
  pthread_barrier_wait(&ready);
  pthread_exit(NULL); /* MAIN-EXIT */
}
