/* segv: dereferences a NULL pointer at the line marked SEGV-LINE. */
#include <stdio.h>

struct node {
  int value;
  struct node *next;
};

static void poke(struct node *n, int v) { n->value = v; /* SEGV-LINE */ }

int main(void) {
  struct node *volatile victim = NULL;
  puts("segv: about to crash");
  fflush(stdout);
  poke(victim, 1234);
  puts("segv: unreachable");
  return 0;
}
