/* Scenario l: 2 spawner threads each make 3 rounds of fork + exec of exec_target (the fork
 * child first calls hit(): code holding the breakpoint, in a copy of our memory) and
 * system("exit 3") (a vfork child sharing our memory), while 4 hitters hit the breakpoint
 * 40 times each. Round r of a spawner waits until the hitters made a random number of calls
 * in [50r, 50r + 49], so the children come and go while breakpoints are being hit. At the
 * end: "children 12 fine" (or a WRONG line per bad child) and "calls N"; exits 0 only if
 * every child exited as expected (exec_target: 9, system: 3), 1 otherwise. */
#include "stress_common.h"
#include <limits.h>
#include <string.h>
#include <sys/wait.h>

#define HITTERS 4
#define HITS 40
#define SPAWNERS 2
#define ROUNDS 3
#define FORK_CHILD_ID 1000 /* hit() in a fork child: never counted, never reported */

static char target[PATH_MAX + 16];
static atomic_int fine, wrong;

static void *hitter(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0; seq < HITS; seq++) {
    counted_hit(id, seq);
    spin(20000);
  }
  return NULL;
}

static void expect(const char *what, int status, int code) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == code) {
    atomic_fetch_add(&fine, 1);
    return;
  }
  atomic_fetch_add(&wrong, 1);
  printf("WRONG %s: status 0x%x, expected exit %d\n", what, status, code);
  fflush(stdout);
}

static void *spawner(void *arg) {
  unsigned seed = (unsigned)(unsigned long)arg;
  for (int round = 0; round < ROUNDS; round++) {
    long calls = 50L * round + stress_rand(&seed) % 50;
    while (atomic_load(&stress_calls) < calls)
      sched_yield();
    pid_t pid = fork();
    if (pid == 0) {
      hit(FORK_CHILD_ID, round);
      execl(target, "exec_target", "forked", (char *)NULL);
      _exit(99);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    expect("fork+exec child", status, 9);
    expect("system", system("exit 3"), 3);
  }
  return NULL;
}

int main(void) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0)
    return 2;
  self[n] = 0;
  *strrchr(self, '/') = 0;
  snprintf(target, sizeof target, "%s/exec_target", self);
  setvbuf(stdout, NULL, _IONBF, 0);

  unsigned seed = stress_seed();
  pthread_t t[HITTERS + SPAWNERS];
  for (long i = 0; i < HITTERS; i++)
    pthread_create(&t[i], NULL, hitter, (void *)(i + 1));
  for (long i = 0; i < SPAWNERS; i++)
    pthread_create(&t[HITTERS + i], NULL, spawner, (void *)(unsigned long)stress_rand(&seed));
  for (int i = 0; i < HITTERS + SPAWNERS; i++)
    pthread_join(t[i], NULL);
  if (atomic_load(&wrong) == 0)
    printf("children %d fine\n", atomic_load(&fine));
  printf("calls %ld\n", atomic_load(&stress_calls));
  return atomic_load(&wrong) != 0;
}
