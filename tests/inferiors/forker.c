/* forker: a multithreaded program that forks, vforks, calls system() and popen() while
 * a breakpoint sits in code the children run too. A child that runs with the debugger's
 * breakpoint bytes in its memory dies of SIGTRAP; each child's result is printed.
 *
 * The worker's three calls come first (a barrier holds main back): while a vfork child
 * borrows the address space the breakpoints are out, so a hit then would be missed by
 * any debugger.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int shared_work(int v) { return v * 2; /* SHARED-WORK */ }

static pthread_barrier_t worked;

static void *worker(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++)
    shared_work(i);
  pthread_barrier_wait(&worked);
  return NULL;
}

static void report(const char *what, int status) {
  if (WIFEXITED(status))
    printf("forker: %s exited %d\n", what, WEXITSTATUS(status));
  else
    printf("forker: %s killed by signal %d\n", what, WTERMSIG(status));
}

int main(void) {
  pthread_t thread;
  int status = 0;
  pthread_barrier_init(&worked, NULL, 2);
  pthread_create(&thread, NULL, worker, NULL);
  pthread_barrier_wait(&worked);

  pid_t child = fork();
  if (child == 0)
    _exit(shared_work(21));
  waitpid(child, &status, 0);
  report("fork child", status);

  child = vfork();
  if (child == 0) {
    execl("/bin/sh", "sh", "-c", "exit 7", (char *)NULL);
    _exit(99);
  }
  waitpid(child, &status, 0);
  report("vfork child", status);

  report("system", system("exit 3"));

  char line[64] = "";
  FILE *pipe = popen("echo popen-ok", "r");
  if (pipe && fgets(line, sizeof line, pipe))
    printf("forker: popen read %s", line);
  if (pipe)
    pclose(pipe);

  pthread_join(thread, NULL);
  printf("forker: done\n"); /* ALL-DONE */
  return 0;
}
