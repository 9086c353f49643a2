/* fork_paths MODE: one way of making a child per mode, each child with a known exit code.
 * The parent waits for every child, prints "fork_paths: <child> PID exited CODE" and exits 0
 * only if every child exited with its expected code (1 otherwise), after "fork_paths: all
 * children fine" or "fork_paths: WRONG ...".
 *
 *   fork N       main forks N children (1 if N is missing); child k runs child_path(9 + k)
 *                and _exits with it. The parent calls parent_ready(N) once all are forked
 *                and before it waits, so a debugger holding the children
 *                (detach-on-fork off) can stop it there first.
 *   thread-exec  a non-main thread forks; the child execs `fork_exit 5 from-thread`
 *   vfork-exec   main vforks; the child execs `fork_exit 7 from-vfork`
 *   exec         main itself execs `fork_exit 6 from-main` (no child)
 *
 * fork_exit is found next to this program. stdout is unbuffered: a child never inherits
 * (and prints again) the parent's buffered output.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char helper[PATH_MAX + 16];
static int wrong;

int child_path(int code) { return code; /* CHILD-PATH */ }

void parent_ready(int children) { (void)children; /* PARENT-READY */ }

static void find_helper(void) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0) {
    perror("readlink");
    exit(2);
  }
  self[n] = 0;
  *strrchr(self, '/') = 0;
  snprintf(helper, sizeof helper, "%s/fork_exit", self);
}

static void exec_helper(const char *code, const char *who) {
  execl(helper, "fork_exit", code, who, (char *)NULL);
  _exit(99); /* the exec failed */
}

static void check(const char *what, pid_t pid, int expected) {
  int status;
  if (waitpid(pid, &status, 0) != pid) {
    printf("fork_paths: WRONG %s: waitpid failed\n", what);
    wrong = 1;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == expected) {
    printf("fork_paths: %s %d exited %d\n", what, (int)pid, expected);
  } else {
    printf("fork_paths: WRONG %s %d: status 0x%x, expected exit %d\n", what, (int)pid, status,
           expected);
    wrong = 1;
  }
}

static void *thread_fork_exec(void *arg) {
  (void)arg;
  pid_t pid = fork();
  if (pid == 0)
    exec_helper("5", "from-thread");
  check("thread child", pid, 5);
  return NULL;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "fork";
  setvbuf(stdout, NULL, _IONBF, 0);
  find_helper();
  if (strcmp(mode, "fork") == 0) {
    int n = argc > 2 ? atoi(argv[2]) : 1;
    pid_t pids[8];
    if (n < 1 || n > 8)
      return 2;
    for (int k = 0; k < n; k++) {
      pids[k] = fork();
      if (pids[k] == 0)
        _exit(child_path(9 + k));
    }
    parent_ready(n);
    for (int k = 0; k < n; k++)
      check("child", pids[k], 9 + k);
  } else if (strcmp(mode, "thread-exec") == 0) {
    pthread_t thread;
    pthread_create(&thread, NULL, thread_fork_exec, NULL);
    pthread_join(thread, NULL);
  } else if (strcmp(mode, "vfork-exec") == 0) {
    pid_t pid = vfork();
    if (pid == 0)
      exec_helper("7", "from-vfork");
    check("vfork child", pid, 7);
  } else if (strcmp(mode, "exec") == 0) {
    exec_helper("6", "from-main");
  } else {
    fprintf(stderr, "fork_paths: unknown mode %s\n", mode);
    return 2;
  }
  printf(wrong ? "fork_paths: WRONG\n" : "fork_paths: all children fine\n");
  return wrong; /* MAIN-END */
}
