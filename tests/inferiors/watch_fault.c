/* watch_fault: a watched program whose plain store faults (watch.py, issue 7).
 *
 * main sets the watched `counter` to 1, then stores 7 through a pointer into a read-only
 * page: SIGSEGV there, and the page still holds 0. A stub that carries out the plain
 * stores of watched threads itself must let this one fault as the program's own does.
 */
#include <stdio.h>
#include <sys/mman.h>

volatile long counter;

int main(void) {
  volatile long *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED)
    return 2;
  counter = 1; /* FAULT-COUNT */
  *page = 7;   /* FAULT-STORE */
  printf("watch_fault: no fault\n");
  return 1;
}
