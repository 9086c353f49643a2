/* Scenario i: a seccomp filter fires while other threads hit a breakpoint.
 *   seccomp_race trap: the victim thread's getppid() returns SECCOMP_RET_TRAP, i.e. a
 *                      SIGSYS for gdb to report (the driver then kills the program);
 *   seccomp_race kill: SECCOMP_RET_KILL_PROCESS: the whole process dies of SIGSYS.
 * The filter is installed on the victim thread only (no TSYNC), once the 4 hitters
 * made a random number (0..29) of calls. */
#include "stress_common.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>

#define HITTERS 4

static unsigned action;

static void *hitter(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0;; seq++) {
    counted_hit(id, seq);
    spin(5000);
  }
  return NULL;
}

static void *victim(void *arg) {
  long target = (long)((unsigned long)arg % 30);
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, action),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  while (atomic_load(&stress_calls) < target)
    sched_yield();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
    perror("seccomp");
    raw_exit_group(2);
  }
  syscall(SYS_getppid); /* SECCOMP-LINE */
  /* RET_TRAP: gdb kills us at the SIGSYS; should we ever get here, say so. */
  printf("survived getppid\n");
  fflush(stdout);
  raw_exit_group(3);
}

int main(int argc, char **argv) {
  unsigned seed = stress_seed();
  if (argc != 2 || (strcmp(argv[1], "trap") && strcmp(argv[1], "kill"))) {
    fprintf(stderr, "usage: seccomp_race trap|kill\n");
    return 2;
  }
  action = strcmp(argv[1], "trap") == 0 ? SECCOMP_RET_TRAP : SECCOMP_RET_KILL_PROCESS;
  pthread_t t[HITTERS + 1];
  alarm(60);
  for (long i = 0; i < HITTERS; i++)
    pthread_create(&t[i], NULL, hitter, (void *)(i + 1));
  pthread_create(&t[HITTERS], NULL, victim, (void *)(unsigned long)stress_rand(&seed));
  for (;;)
    pause();
}
