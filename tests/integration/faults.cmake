# Faults (issue 8): gdb killed, a cut or slow connection, signals to the stub, the program
# killed from outside, garbage packets, ptrace refused.
#   integration.faults.<test>.<stub>    faults.py
# The .stubborn variants also run gdbserver and compare where the output must match.
set(FAULT_TESTS_BOTH
  gdb_killed_stopped gdb_killed_stop_all gdb_killed_attached partial_packet
  signal_launched inferior_killed_stopped inferior_killed_running garbage_bytes
  unterminated_packet no_ack_bad_checksum bad_register bad_memory xfer_past_end
  vfile_errors attach_traced attach_zombie)
# gdbserver 13.1 is wrong in these (see the test's docstring in faults.py).
set(FAULT_TESTS_STUBBORN_ONLY
  gdb_killed_running gdb_killed_attached_running gdb_killed_stdio slow_client signal_attached
  huge_packet)

if(STUBBORN_GDBSERVER)
  foreach(t IN LISTS FAULT_TESTS_BOTH)
    integration_test(integration.faults.${t}.gdbserver gdbserver faults.py ${t}
                     --stub ${STUBBORN_GDBSERVER})
  endforeach()
endif()

if(TARGET stubborn)
  foreach(t IN LISTS FAULT_TESTS_BOTH FAULT_TESTS_STUBBORN_ONLY)
    integration_test(integration.faults.${t}.stubborn stubborn faults.py ${t}
                     --stub $<TARGET_FILE:stubborn> ${reference})
  endforeach()
endif()
