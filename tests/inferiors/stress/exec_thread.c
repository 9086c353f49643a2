/* Scenario e: a non-leader thread calls execve while 4 other threads live (3 of them
 * hitting a breakpoint in a loop). The new image is exec_target (next to this program),
 * which hits the breakpoint 3 times itself (id 100) and exits with code 9. */
#include "stress_common.h"
#include <limits.h>
#include <string.h>

#define HITTERS 3

static void *hitter(void *arg) {
  int id = (int)(long)arg;
  for (int seq = 0;; seq++) {
    counted_hit(id, seq);
    spin(20000);
  }
  return NULL;
}

static void *execer(void *arg) {
  long target = 5 + (long)(unsigned long)arg % 40;
  char self[PATH_MAX], path[PATH_MAX + 32];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n < 0)
    raw_exit_group(2);
  self[n] = 0;
  char *slash = strrchr(self, '/');
  *slash = 0;
  snprintf(path, sizeof path, "%s/exec_target", self);
  while (atomic_load(&stress_calls) < target)
    sched_yield();
  char *argv[] = {path, "from-thread", NULL};
  extern char **environ;
  execve(path, argv, environ); /* EXEC-LINE */
  perror("execve");
  raw_exit_group(2);
}

int main(void) {
  unsigned seed = stress_seed();
  pthread_t t[HITTERS + 1];
  for (long i = 0; i < HITTERS; i++)
    pthread_create(&t[i], NULL, hitter, (void *)(i + 1));
  pthread_create(&t[HITTERS], NULL, execer, (void *)(unsigned long)stress_rand(&seed));
  for (;;)
    pause();
}
