/* envprobe: prints what the environment packets and options changed.
 *   cwd=...  FOO=...  HOME=...  STUBBORN_WRAPPED=...  norandom=0|1  argv[i]=...
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <unistd.h>

static const char *show(const char *name) {
  const char *v = getenv(name);
  return v ? v : "(unset)";
}

int main(int argc, char **argv) {
  char cwd[4096];
  printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "(error)");
  printf("FOO=%s\n", show("FOO"));
  printf("HOME=%s\n", show("HOME"));
  printf("STUBBORN_WRAPPED=%s\n", show("STUBBORN_WRAPPED"));
  printf("norandom=%d\n", (personality(0xffffffff) & ADDR_NO_RANDOMIZE) ? 1 : 0);
  for (int i = 1; i < argc; i++)
    printf("argv[%d]=%s\n", i, argv[i]);
  fflush(stdout);
  return 0; /* ENVPROBE-EXIT */
}
