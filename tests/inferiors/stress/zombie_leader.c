/* Scenario d: the leader calls pthread_exit (it becomes a zombie), 4 workers run on and
 * hit a breakpoint 20 times each; the last worker to finish prints the number of hit()
 * calls and calls exit(7). The workers start hitting only once the leader is a zombie
 * (bounded wait, 2 s at most). */
#include "stress_common.h"
#include <stdatomic.h>
#include <string.h>

#define WORKERS 4
#define HITS 20

static atomic_int live = WORKERS;
static pid_t leader;

static int leader_is_zombie(void) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)leader, (int)leader);
  FILE *f = fopen(path, "r");
  if (!f)
    return 1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

static void *worker(void *arg) {
  int id = (int)(long)arg;
  for (int i = 0; i < 20000 && !leader_is_zombie(); i++)
    sleep_us(100);
  for (int seq = 0; seq < HITS; seq++) {
    counted_hit(id, seq);
    spin(5000 * id);
  }
  if (atomic_fetch_sub(&live, 1) == 1) {
    printf("calls %ld\n", atomic_load(&stress_calls));
    fflush(stdout);
    exit(7); /* EXIT-LINE */
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  leader = getpid();
  for (long i = 0; i < WORKERS; i++)
    pthread_create(&t, NULL, worker, (void *)(i + 1));
  pthread_exit(NULL);
}
