#include "stub/osdata.hpp"

#include "rsp/reply.hpp"
#include "stub/attacher.hpp"
#include "stub/proc_info.hpp"

#include <dirent.h>
#include <fmt/core.h>
#include <pwd.h>
#include <set>
#include <sys/stat.h>

namespace stub {
namespace {

std::string column(std::string_view name, std::string_view value) {
  return fmt::format("<column name=\"{}\">{}</column>", name, rsp::reply::xml_escape(value));
}

std::string user_name(uid_t uid) {
  passwd pw{};
  passwd *result = nullptr;
  char buf[1024];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &result) == 0 && result)
    return result->pw_name;
  return std::to_string(uid);
}

// The command line with NULs as spaces, or [comm] for kernel threads, like ps.
std::string command_line(pid_t pid) {
  std::string cmdline = read_whole_file(fmt::format("/proc/{}/cmdline", pid));
  while (!cmdline.empty() && cmdline.back() == '\0')
    cmdline.pop_back();
  for (char &c : cmdline)
    if (c == '\0')
      c = ' ';
  if (cmdline.empty())
    cmdline = "[" + thread_name(pid, pid) + "]";
  return cmdline;
}

std::string processes() {
  std::string out = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"osdata.dtd\">\n"
                    "<osdata type=\"processes\">\n";
  DIR *dir = opendir("/proc");
  if (!dir)
    return out + "</osdata>\n";
  while (dirent *entry = readdir(dir)) {
    char *end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || !end || *end != '\0')
      continue;
    struct stat st {};
    if (stat(fmt::format("/proc/{}", pid).c_str(), &st) != 0)
      continue; // gone meanwhile
    std::set<int> cores;
    for (pid_t tid : list_threads(static_cast<pid_t>(pid)))
      if (int core = thread_core(static_cast<pid_t>(pid), tid); core >= 0)
        cores.insert(core);
    std::string core_list;
    for (int core : cores)
      core_list += (core_list.empty() ? "" : ",") + std::to_string(core);
    out += "<item>" + column("pid", std::to_string(pid)) + column("user", user_name(st.st_uid)) +
           column("command", command_line(static_cast<pid_t>(pid))) + column("cores", core_list) +
           "</item>\n";
  }
  closedir(dir);
  return out + "</osdata>\n";
}

std::string types() {
  return "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"osdata.dtd\">\n"
         "<osdata type=\"types\">\n<item>" +
         column("Type", "processes") + column("Description", "Listing of all processes") +
         column("Title", "Processes") + "</item>\n</osdata>\n";
}

} // namespace

rsp::Result<std::string> osdata(std::string_view annex) {
  if (annex.empty())
    return types();
  if (annex == "processes")
    return processes();
  return rsp::fail(std::errc::no_such_file_or_directory);
}

} // namespace stub
