# Watchpoints, hardware breakpoints and the breakpoint machinery (issue 7, item 6): watch on
# a global 4 threads write and on a local leaving its scope, rwatch, awatch, hbreak, tbreak/
# until/advance, host and target conditions, next over a long loop (range stepping on/off),
# dprintf (gdb and agent styles).
#   integration.watch.<test>.<stub>    watch.py
# Each test asks a native gdb whether this machine's debug registers work and expects each
# stub's behaviour in that world (see watch.py). The .stubborn variants of the deterministic
# tests also run gdbserver and compare transcripts.
set(WATCH_TESTS_BOTH
  watch_threads watch_alias watch_local watch_fault watch_cond watch_nonstop rwatch awatch hbreak tbreak_until_advance cond_host
  cond_target
  next_range next_norange dprintf_gdb dprintf_agent)
# `monitor watchpoints` is stubborn's own command; the _emulated tests tell stubborn to
# leave the debug registers alone, so its emulation is tested where they work too.
set(WATCH_TESTS_STUBBORN_ONLY monitor watch_threads_emulated watch_alias_emulated
    watch_local_emulated watch_fault_emulated watch_cond_emulated watch_nonstop_emulated
    rwatch_emulated awatch_emulated hbreak_emulated monitor_emulated)

if(STUBBORN_GDBSERVER)
  foreach(t IN LISTS WATCH_TESTS_BOTH)
    integration_test(integration.watch.${t}.gdbserver gdbserver watch.py ${t}
                     --stub ${STUBBORN_GDBSERVER})
  endforeach()
endif()

if(TARGET stubborn)
  foreach(t IN LISTS WATCH_TESTS_BOTH WATCH_TESTS_STUBBORN_ONLY)
    integration_test(integration.watch.${t}.stubborn stubborn watch.py ${t}
                     --stub $<TARGET_FILE:stubborn> ${reference})
  endforeach()
endif()
