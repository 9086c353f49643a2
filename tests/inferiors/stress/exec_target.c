/* Scenario e, the new image: hits the breakpoint 3 times (id 100), exits with code 9. */
#include "stress_common.h"

int main(int argc, char **argv) {
  for (int seq = 0; seq < 3; seq++)
    counted_hit(100, seq);
  printf("exec_target %s calls %ld\n", argc > 1 ? argv[1] : "-", atomic_load(&stress_calls));
  fflush(stdout);
  return 9;
}
