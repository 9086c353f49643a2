# Forks, vforks, execs, `catch syscall` and $_siginfo (issue 6): fork.py with real gdb.
#   integration.fork.<test>.<stub>
# system() and popen() with breakpoints in the children's code, fork + exec from a non-main
# thread, vfork + exec, catch fork/vfork/exec, follow-fork-mode child, detach-on-fork off
# (two inferiors), follow-exec-mode new/same, catch syscall write (exact count), $_siginfo
# read and write after a SIGSEGV, and a Go program using os/exec (go_exec, when the Go
# inferiors are built). The .stubborn variants of the deterministic tests also run gdbserver
# and compare transcripts. gdbserver 13.1's known failure (duplicate hits in system_popen and
# go_exec) is logged by fork.py, not failed.
set(FORK_TESTS
  system_popen thread_fork_exec vfork_exec vfork_follow_child catch_fork follow_child_exit
  detach_on_fork_off follow_exec_new follow_exec_same catch_syscall siginfo_segv
  siginfo_write)

function(fork_test name stub_label)
  integration_test(${name} ${stub_label} fork.py ${ARGN})
endfunction()

foreach(t IN LISTS FORK_TESTS)
  if(STUBBORN_GDBSERVER)
    fork_test(integration.fork.${t}.gdbserver gdbserver ${t} --stub ${STUBBORN_GDBSERVER})
  endif()
  if(TARGET stubborn)
    fork_test(integration.fork.${t}.stubborn stubborn ${t} --stub $<TARGET_FILE:stubborn>
              ${reference})
  endif()
endforeach()

# os/exec in a Go program (tests/inferiors/go/spawn.go, default build).
if(TARGET go_inferiors)
  set(go_exec_args go_exec --go-inferiors ${STUBBORN_GO_INFERIORS_DIR})
  if(STUBBORN_GDBSERVER)
    fork_test(integration.fork.go_exec.gdbserver gdbserver ${go_exec_args}
              --stub ${STUBBORN_GDBSERVER})
    set_property(TEST integration.fork.go_exec.gdbserver APPEND PROPERTY LABELS go)
  endif()
  if(TARGET stubborn)
    fork_test(integration.fork.go_exec.stubborn stubborn ${go_exec_args}
              --stub $<TARGET_FILE:stubborn>)
    set_property(TEST integration.fork.go_exec.stubborn APPEND PROPERTY LABELS go)
  endif()
endif()
