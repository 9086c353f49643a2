/* Shared helpers for the exit-race stress inferiors (tests/stress/stress.py).
 *
 * hit(id, seq) is the breakpoint target of every scenario: gdb breaks on it and
 * prints "H <id> <seq>" per hit, so the driver can prove no hit was lost or counted
 * twice (per thread, seqs 0..k are consecutive). Sleeps and random delays here only
 * shape the races; they are never a fix for one.
 */
#ifndef STUBBORN_STRESS_COMMON_H
#define STUBBORN_STRESS_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Every call of hit() the program made; read at exit to compare with gdb's count. */
static atomic_long stress_calls __attribute__((unused));

__attribute__((noinline)) void hit(int id, int seq) {
  __asm__ volatile("" ::: "memory"); /* HIT-BODY */
  (void)id;
  (void)seq;
}

/* Count, then call: the program's count is exact once every caller is done. */
static inline void counted_hit(int id, int seq) {
  atomic_fetch_add(&stress_calls, 1);
  hit(id, seq);
}

static inline void spin(long n) {
  for (volatile long i = 0; i < n; i++) {
  }
}

/* A per-run random seed, so every run shapes its race differently. */
__attribute__((unused)) static unsigned stress_seed(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned)ts.tv_nsec ^ ((unsigned)getpid() << 16);
}

__attribute__((unused)) static unsigned stress_rand(unsigned *state) {
  unsigned x = *state ? *state : 0x9e3779b9u;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* exit_group(2) itself, without atexit handlers or stdio flushing. */
__attribute__((noreturn, unused)) static inline void raw_exit_group(int code) {
  syscall(SYS_exit_group, code);
  __builtin_unreachable();
}

__attribute__((unused)) static void sleep_us(long us) {
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

#endif
