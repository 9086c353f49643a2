// The Inferior's monitor commands (qRcmd).
#include "stub/inferior.hpp"

#include "stub/debug_registers.hpp"
#include "stub/log.hpp"

#include <fmt/core.h>

namespace stub {

// gdbserver's monitor commands, in its words (gdb's testsuite and users expect them).
Result<rsp::Target::MonitorReply> Inferior::monitor(std::string_view command) {
  static constexpr std::string_view help =
      "The following monitor commands are supported:\n"
      "  set debug <0|1>\n"
      "    Enable general debugging messages\n"
      "  set debug-hw-points <0|1>\n"
      "    Enable h/w breakpoint/watchpoint debugging messages\n"
      "  set remote-debug <0|1>\n"
      "    Enable remote protocol debugging messages\n"
      "  set debug-format option1[,option2,...]\n"
      "    Add additional information to debugging messages\n"
      "    Options: all, none, timestamp\n"
      "  exit\n"
      "    Quit GDBserver\n"
      "  watchpoints\n"
      "    How watchpoints and hardware breakpoints work here\n"
      "  jump-pads [on|off]\n"
      "    Whether the program evaluates target-side breakpoint conditions itself\n";
  auto toggle = [](std::string_view value, std::initializer_list<log::Channel> channels,
                   std::string_view what) -> std::optional<std::string> {
    if (value != "0" && value != "1")
      return std::nullopt;
    for (auto channel : channels)
      log::set_enabled(channel, value == "1");
    return fmt::format("{} {}.\n", what, value == "1" ? "enabled" : "disabled");
  };
  std::optional<std::string> said;
  if (command == "help")
    said = std::string(help);
  else if (command == "exit") {
    exit_requested_ = true;
    said = std::string();
  } else if (command == "watchpoints") {
    said = fmt::format(
        "{}Debug registers on this machine: {}.\n",
        use_debug_registers()
            ? "Watchpoints and hardware breakpoints: in the debug registers (four slots of 1, "
              "2, 4 or 8 aligned bytes; no read-only watchpoints: gdb's rwatch uses an access "
              "one).\n"
            : "Write watchpoints: emulated in the stub (a watched thread runs free up to each "
              "instruction that may store; one that may hit is single-stepped and the watched "
              "bytes compared).\n"
              "Hardware breakpoints, read and access watchpoints: not available (refused).\n",
        debug_registers_fire() ? "they fire" : "they do not fire");
  } else if (command == "jump-pads" || command == "jump-pads on" || command == "jump-pads off") {
    if (command != "jump-pads")
      jump_pads_ = command.ends_with("on");
    said = fmt::format(
        "Jump pads: {} (breakpoints inserted from now on). With them, a breakpoint whose "
        "target-side conditions compile jumps to code in the program that evaluates them, "
        "and traps only when one holds; without, the stub evaluates them at an int3.\n",
        jump_pads_ ? "on" : "off");
  } else if (command.starts_with("set debug "))
    said = toggle(command.substr(10), {log::Channel::Event, log::Channel::Ptrace}, "Debug output");
  else if (command.starts_with("set remote-debug "))
    said = toggle(command.substr(17), {log::Channel::Rsp}, "Protocol debug output");
  else if (command.starts_with("set debug-hw-points "))
    said = toggle(command.substr(20), {}, "H/W point debugging output");
  else if (command.starts_with("set debug-format ")) {
    std::string out;
    std::string_view options = command.substr(17);
    while (!options.empty()) {
      auto comma = options.find(',');
      auto option = options.substr(0, comma);
      if (option == "all")
        out += "All extra debug format options enabled.\n";
      else if (option == "none")
        out += "All extra debug format options disabled.\n";
      else if (option == "timestamp")
        out += "Timestamps will be added to debug output.\n";
      else
        return MonitorReply{fmt::format("Unknown debug-format argument: \"{}\"\n{}", option, help),
                            false};
      options = comma == std::string_view::npos ? std::string_view{} : options.substr(comma + 1);
    }
    said = out;
  } else if (command.starts_with("set libthread-db-search-path")) {
    // We find threads without libthread_db; the setting is accepted and has no effect.
    std::string_view path = command.substr(28);
    while (!path.empty() && path.front() == ' ')
      path.remove_prefix(1);
    said = fmt::format("libthread-db-search-path set to `{}'\n", path);
  }
  if (!said)
    return MonitorReply{"Unknown monitor command.\n\n" + std::string(help), false};
  return MonitorReply{*said, true};
}

} // namespace stub
