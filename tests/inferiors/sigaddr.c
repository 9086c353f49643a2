/* sigaddr MODE: a SIGSEGV at a known address, a store into `page`, a PROT_NONE page.
 *   crash   no handler: the program dies of it.
 *   handle  an SA_SIGINFO handler takes si_addr and si_code and leaves by siglongjmp; main
 *           prints them and exits 0 if si_addr was the faulting page, 4 if it was &decoy (a
 *           debugger rewrote the signal's siginfo), 1 otherwise.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

char *volatile page;
int decoy;

static sigjmp_buf recover;
static void *volatile seen_addr;
static volatile int seen_code;

static void on_segv(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)context;
  seen_addr = info->si_addr;
  seen_code = info->si_code;
  siglongjmp(recover, 1);
}

static void poke(char *p) { *p = 1; /* FAULT-LINE */ }

int main(int argc, char **argv) {
  int handle = argc > 1 && strcmp(argv[1], "handle") == 0;
  page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED)
    return 2;
  if (handle) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
  }
  printf("sigaddr: page %p decoy %p\n", (void *)page, (void *)&decoy);
  fflush(stdout);
  if (sigsetjmp(recover, 1) == 0) {
    poke(page);
    puts("sigaddr: unreachable");
    return 1;
  }
  printf("sigaddr: handler saw si_addr %p si_code %d\n", seen_addr, seen_code);
  if (seen_addr == (void *)page)
    return 0;
  return seen_addr == (void *)&decoy ? 4 : 1;
}
