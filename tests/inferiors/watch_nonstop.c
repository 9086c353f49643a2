/* watch_nonstop: a watchpoint set in non-stop mode while a thread runs (watch.py, issue 7).
 *
 * A thread spins adding 1 to `counter` until `stop_now` is set; main calls ready() (gdb
 * stops there, the spinner runs on) and joins it. A watchpoint on `counter` inserted now
 * must stop the spinner at once: the stub has to give the running thread the new debug
 * registers (or put it under the emulation) without waiting for it to stop. Exit code 0.
 */
#include <pthread.h>
#include <stdio.h>

volatile long counter;
volatile int stop_now;

static void *spin(void *arg) {
  (void)arg;
  while (!stop_now)
    counter++; /* SPIN-ADD */
  return NULL;
}

__attribute__((noinline)) void ready(void) { __asm__ volatile(""); }

int main(void) {
  pthread_t spinner;
  if (pthread_create(&spinner, NULL, spin, NULL) != 0)
    return 2;
  ready();
  pthread_join(spinner, NULL);
  printf("watch_nonstop: done\n");
  return 0;
}
