/* spawner: a multithreaded program whose children run code that holds the debugger's
 * breakpoints. Two workers call shared_work() PER_WORKER times each while main forks a child
 * that calls shared_work() too, then calls system() and popen(): their children (glibc's
 * posix_spawn, a vfork sharing our memory) run libc's execve. A child that runs a
 * breakpoint's int3 dies of SIGTRAP. main prints each child's result and exits 0 only if
 * every child exited as expected (1 otherwise).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 2
#define PER_WORKER 5

int shared_work(int id, int seq) { return id * 100 + seq; /* SHARED-WORK */ }

static void *worker(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0; seq < PER_WORKER; seq++) {
    shared_work(id, seq);
    sched_yield();
  }
  return NULL;
}

static int expect(const char *what, int status, int code) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == code) {
    printf("spawner: %s exited %d\n", what, code);
    return 0;
  }
  printf("spawner: WRONG %s: status 0x%x, expected exit %d\n", what, status, code);
  return 1;
}

int main(void) {
  pthread_t threads[WORKERS];
  int wrong = 0, status = 0;
  setvbuf(stdout, NULL, _IONBF, 0);
  for (long i = 0; i < WORKERS; i++)
    pthread_create(&threads[i], NULL, worker, (void *)(i + 1));

  pid_t child = fork();
  if (child == 0)
    _exit(shared_work(0, 42) == 42 ? 42 : 1);
  waitpid(child, &status, 0);
  wrong |= expect("fork child", status, 42);

  wrong |= expect("system", system("exit 3"), 3);

  char line[64] = "";
  FILE *pipe = popen("echo popen-ok", "r");
  if (!pipe || !fgets(line, sizeof line, pipe) || strcmp(line, "popen-ok\n") != 0) {
    printf("spawner: WRONG popen read '%s'\n", line);
    wrong = 1;
  }
  if (pipe)
    wrong |= expect("popen", pclose(pipe), 0);

  for (int i = 0; i < WORKERS; i++)
    pthread_join(threads[i], NULL);
  printf("spawner: %s\n", wrong ? "WRONG" : "all children fine");
  return wrong;
}
