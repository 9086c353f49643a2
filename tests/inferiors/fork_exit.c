/* fork_exit: the program the fork tests exec. `fork_exit CODE WHO` prints one line and
 * exits with CODE, through exit_code() (a breakpoint target in the new image). */
#include <stdio.h>
#include <stdlib.h>

int exit_code(int code) { return code; /* EXIT-CODE */ }

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 0;
  printf("fork_exit: %s exits %d\n", argc > 2 ? argv[2] : "-", code);
  return exit_code(code);
}
