/* Not an inferior: measures this machine's floor for a debug stub, with no gdb and no stub.
 *
 * - tcp_round_trip: one process sends a small packet over TCP loopback and waits for the
 *   answer; the other waits in epoll, reads it and answers (what a stub does per packet).
 * - ptrace_stop: a tracer resumes a tracee with PTRACE_CONT and waits for its next int3 stop
 *   (what a stub does per breakpoint hit, at the least).
 *
 * Each is run as the scheduler places the processes ("any CPU", as gdb, stub and program are)
 * and with all of them on CPU 0. Per round trip or stop it prints the wall time and the CPU
 * of the side a stub plays, from /proc/self/schedstat (kernel and user, nanosecond precise).
 * Output: one line per measure, "NAME placement wall_us=W stub_cpu_us=C".
 * Usage: transport_floor [ROUNDS] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double own_cpu_seconds(void) {
  FILE *f = fopen("/proc/self/schedstat", "r");
  unsigned long long ns = 0;
  if (!f || fscanf(f, "%llu", &ns) != 1) {
    perror("/proc/self/schedstat");
    exit(1);
  }
  fclose(f);
  return ns * 1e-9;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

/* The stub's side: answers each packet from an epoll loop; reports its CPU on a pipe. */
static void serve_packets(int listener, int report) {
  int one = 1;
  int s = accept(listener, NULL, NULL);
  if (s < 0)
    die("accept");
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int ep = epoll_create1(0);
  struct epoll_event want = {.events = EPOLLIN, .data.fd = s}, got;
  epoll_ctl(ep, EPOLL_CTL_ADD, s, &want);
  double cpu0 = own_cpu_seconds();
  char buf[256];
  for (;;) {
    if (epoll_wait(ep, &got, 1, -1) < 0)
      die("epoll_wait");
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    if (send(s, "$OK#9a", 6, 0) != 6)
      die("send");
  }
  double cpu = own_cpu_seconds() - cpu0;
  if (write(report, &cpu, sizeof cpu) != sizeof cpu)
    die("write");
  _exit(0);
}

static void tcp_round_trip(const char *placement, int rounds) {
  int one = 1, report[2];
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) < 0 ||
      listen(listener, 1) < 0 || getsockname(listener, (struct sockaddr *)&addr, &len) < 0 ||
      pipe(report) < 0)
    die("tcp set-up");
  pid_t server = fork();
  if (server == 0)
    serve_packets(listener, report[1]);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0)
    die("connect");
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const char packet[] = "$vCont;c:p1.-1#00";
  char buf[256];
  double t0 = now_seconds();
  for (int i = 0; i < rounds; i++) {
    if (send(s, packet, sizeof packet - 1, 0) < 0 || recv(s, buf, sizeof buf, 0) <= 0)
      die("round trip");
  }
  double wall = now_seconds() - t0;
  close(s);
  double cpu = 0;
  if (read(report[0], &cpu, sizeof cpu) != sizeof cpu)
    die("read");
  waitpid(server, NULL, 0);
  close(listener);
  close(report[0]);
  close(report[1]);
  printf("tcp_round_trip %s wall_us=%.1f stub_cpu_us=%.1f\n", placement, wall * 1e6 / rounds,
         cpu * 1e6 / rounds);
}

static void ptrace_stop(const char *placement, int rounds) {
  pid_t tracee = fork();
  if (tracee == 0) {
    ptrace(PTRACE_TRACEME, 0, NULL, NULL);
    raise(SIGSTOP);
    for (;;)
      __asm__ volatile("int3");
  }
  int status;
  if (waitpid(tracee, &status, 0) != tracee || !WIFSTOPPED(status))
    die("tracee start");
  double cpu0 = own_cpu_seconds(), t0 = now_seconds();
  for (int i = 0; i < rounds; i++) {
    if (ptrace(PTRACE_CONT, tracee, NULL, NULL) < 0 || waitpid(tracee, &status, 0) != tracee ||
        !WIFSTOPPED(status))
      die("ptrace stop");
  }
  double wall = now_seconds() - t0, cpu = own_cpu_seconds() - cpu0;
  kill(tracee, SIGKILL);
  waitpid(tracee, NULL, 0);
  printf("ptrace_stop %s wall_us=%.1f stub_cpu_us=%.1f\n", placement, wall * 1e6 / rounds,
         cpu * 1e6 / rounds);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20000;
  tcp_round_trip("any_cpu", rounds);
  ptrace_stop("any_cpu", rounds);
  cpu_set_t cpu0; /* inherited by the forked side */
  CPU_ZERO(&cpu0);
  CPU_SET(0, &cpu0);
  if (sched_setaffinity(0, sizeof cpu0, &cpu0) < 0)
    die("sched_setaffinity");
  tcp_round_trip("one_cpu", rounds);
  ptrace_stop("one_cpu", rounds);
  return 0;
}
