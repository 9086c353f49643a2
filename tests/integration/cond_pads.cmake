# Target-side conditions on a hot function (issue 7): stubborn's jump pads must look to gdb
# exactly like conditions evaluated at an int3; range stepping over its callers (next, step)
# must look like stepping one instruction at a time.
#   integration.cond_pads.<test>.<stub>    cond_pads.py
set(COND_PADS_TESTS_BOTH single threads fault detach next_threads next_break step_in)
set(COND_PADS_TESTS_STUBBORN_ONLY monitor) # stubborn's own monitor command

if(STUBBORN_GDBSERVER)
  foreach(t IN LISTS COND_PADS_TESTS_BOTH)
    integration_test(integration.cond_pads.${t}.gdbserver gdbserver cond_pads.py ${t}
                     --stub ${STUBBORN_GDBSERVER})
  endforeach()
endif()

if(TARGET stubborn)
  foreach(t IN LISTS COND_PADS_TESTS_BOTH COND_PADS_TESTS_STUBBORN_ONLY)
    integration_test(integration.cond_pads.${t}.stubborn stubborn cond_pads.py ${t}
                     --stub $<TARGET_FILE:stubborn> ${reference})
  endforeach()
endif()
