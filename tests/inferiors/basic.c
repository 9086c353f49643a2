/* basic: the everyday inferior for the integration tests.
 *
 * Usage: basic [exit N] [ARGS...]
 *   prints each argv and the STUBBORN_TEST_ENV environment variable, runs a few
 *   functions, and exits with N (default 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct point {
  int x;
  int y;
  const char *name;
};

int global_counter = 42;
struct point global_point = {3, 4, "origin-ish"};

int add(int a, int b) { return a + b; }

int square(int v) {
  int result = v * v; /* SQUARE-BODY */
  return result;
}

int compute(int seed) {
  int local_a = seed + 1; /* COMPUTE-FIRST */
  int local_b = local_a * 2;
  int sq = square(local_b); /* COMPUTE-CALL-SQUARE */
  global_counter += sq;     /* COMPUTE-AFTER-CALL */
  return sq + local_a;
}

void report(void) {
  printf("global_counter=%d point=(%d,%d)\n", global_counter, global_point.x, global_point.y);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int exit_code = 0; /* MAIN-FIRST */
  int i;

  for (i = 0; i < argc; i++)
    printf("argv[%d]=%s\n", i, argv[i]);
  const char *env = getenv("STUBBORN_TEST_ENV");
  printf("STUBBORN_TEST_ENV=%s\n", env ? env : "(unset)");
  fflush(stdout);
  if (argc >= 3 && strcmp(argv[1], "exit") == 0)
    exit_code = atoi(argv[2]);

  int value = compute(4); /* MAIN-CALL-COMPUTE */
  printf("compute=%d\n", value);
  puts("basic: about to report");
  report();
  return exit_code;
}
