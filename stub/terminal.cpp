#include "stub/terminal.hpp"

#include <csignal>
#include <termios.h>
#include <unistd.h>

namespace stub {
namespace {

// tcsetpgrp from a background group raises SIGTTOU: ignored for the call only.
void set_foreground(pid_t pgrp) {
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGTTOU, &ignore, &previous);
  (void)tcsetpgrp(STDIN_FILENO, pgrp);
  sigaction(SIGTTOU, &previous, nullptr);
}

} // namespace

void child_takes_terminal() {
  pid_t stub_group = getpgrp();
  (void)setpgid(0, 0);
  if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == stub_group)
    set_foreground(getpid());
}

void reclaim_terminal_from(pid_t pgrp) {
  if (pgrp > 0 && isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == pgrp)
    set_foreground(getpgrp());
}

} // namespace stub
