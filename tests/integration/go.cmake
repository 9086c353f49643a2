# Go programs (issue 5): go.py against the Go inferiors of tests/inferiors/go, each test
# for the default build (integration.go.<test>.<stub>) and the -N -l build
# (integration.go.<test>_nopt.<stub>). Not registered when `go` is missing.
#   exit panic return   exit codes 03, 02, "exited normally" with busy goroutines
#   threads             200+ threads: info threads (comm names), thread apply all bt,
#                       info goroutines (runtime-gdb.py, auto-loaded)
#   preempt             no SIGURG stop reaches gdb; run time close to the native one
#   hits                exactly 80 hits for 80 calls (gdbserver's over-count recorded)
#   kill                SIGKILL while stopped at a breakpoint

if(NOT TARGET go_inferiors)
  message(STATUS "integration tests: Go inferiors not built, Go tests not registered")
  return()
endif()

set(GO_TESTS exit panic return threads preempt hits kill)
set(go_args --gdb ${STUBBORN_GDB}
            --inferiors ${STUBBORN_GO_INFERIORS_DIR}
            --source-dir ${INFERIOR_SOURCE_DIR}/go
            --budget ${INTEGRATION_BUDGET})

function(go_integration_test name stub_label)
  add_test(NAME ${name} COMMAND ${Python3_EXECUTABLE} ${INTEGRATION_DIR}/go.py ${ARGN}
                                ${go_args})
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${INTEGRATION_TIMEOUT}
    LABELS "integration;go;${stub_label}"
    ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
endfunction()

foreach(t IN LISTS GO_TESTS)
  foreach(build ${t} ${t}_nopt)
    if(STUBBORN_GDBSERVER)
      go_integration_test(integration.go.${build}.gdbserver gdbserver ${build}
                          --stub ${STUBBORN_GDBSERVER})
    endif()
    if(TARGET stubborn)
      go_integration_test(integration.go.${build}.stubborn stubborn ${build}
                          --stub $<TARGET_FILE:stubborn> ${reference})
    endif()
  endforeach()
endforeach()
