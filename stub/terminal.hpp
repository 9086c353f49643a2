#pragma once
// The controlling terminal, as gdbserver shares it: a program we launch runs in its own
// process group, in the terminal's foreground while it is ours (so it can read the
// terminal, and a ^C there reaches it, not us); the stub takes the foreground back once
// the program is detached or over, so that the stub's own exit (it may be the session
// leader) never hangs up a program it let go.
#include <sys/types.h>

namespace stub {

// In the launched child, before exec: a process group of its own, in the foreground if
// the stub's group held it.
void child_takes_terminal();
// In the stub: the foreground back from `pgrp`, if that group holds it.
void reclaim_terminal_from(pid_t pgrp);

} // namespace stub
