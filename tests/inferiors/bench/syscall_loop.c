/* Benchmark inferior: N write(2) calls of one byte to /dev/null (argv[1], default 1000), then
 * done(), for `catch syscall write` (each call stops at its entry and its return). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) void done(long written) { printf("written=%ld\n", written); }

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  int fd = open("/dev/null", O_WRONLY);
  long written = 0;
  for (long i = 0; i < n; i++)
    written += write(fd, "x", 1);
  done(written);
  return 0;
}
