/* sigusr: installs a SIGUSR1 handler, then stops at wait_here() so that gdb's
 * `signal SIGUSR1` can deliver the signal, which the handler records. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1 = 0;

static void on_usr1(int sig) { got_usr1 = sig; /* HANDLER-LINE */ }

void wait_here(void) {
  /* A breakpoint target: gdb stops here and resumes with a signal. */
  __asm__ volatile("" ::: "memory");
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGUSR1, &sa, NULL) != 0) {
    perror("sigaction");
    return 2;
  }
  wait_here();
  if (got_usr1 == SIGUSR1)
    printf("sigusr: handler ran for signal %d\n", (int)got_usr1);
  else
    printf("sigusr: no signal received\n");
  fflush(stdout);
  return got_usr1 == SIGUSR1 ? 0 : 1;
}
