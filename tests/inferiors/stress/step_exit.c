/* Scenario h: gdb single-steps one thread (stepi/next in a loop, from a breakpoint on
 * stepper_start) while a sibling calls exit_group(6) a random 0..30 ms after the
 * stepping began; 2 more threads spin. */
#include "stress_common.h"

static atomic_int stepping;
static volatile long a, b;

__attribute__((noinline)) void stepper_start(void) { atomic_store(&stepping, 1); }

__attribute__((noinline)) long step_callee(long x) { return x * 3 + 1; }

static void *stepper(void *arg) {
  stepper_start();
  for (;;) {
    a++; /* STEP-LOOP */
    b = step_callee(a);
    b += a;
  }
  return NULL;
}

static void *spinner(void *arg) {
  for (;;)
    spin(100000);
  return NULL;
}

static void *exiter(void *arg) {
  long delay_us = (long)((unsigned long)arg % 30000);
  while (!atomic_load(&stepping))
    sched_yield();
  sleep_us(delay_us);
  raw_exit_group(6);
}

int main(void) {
  unsigned seed = stress_seed();
  pthread_t t;
  pthread_create(&t, NULL, spinner, NULL);
  pthread_create(&t, NULL, spinner, NULL);
  pthread_create(&t, NULL, stepper, NULL);
  pthread_create(&t, NULL, exiter, (void *)(unsigned long)stress_rand(&seed));
  for (;;)
    pause();
}
