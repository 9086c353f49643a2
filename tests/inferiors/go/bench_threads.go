// go_bench_threads: the benchmark's Go program (scripts/bench.py, go_200_threads_bp).
// 200 goroutines locked to their own OS threads and blocked in read(2), as a Go server
// with many blocking syscalls has them; then one goroutine calls hit() os.Args[1] times
// (default 200) and the program exits normally.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

const blockedThreads = 200

func main() {
	n := 200
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	var started sync.WaitGroup
	started.Add(blockedThreads)
	for i := 0; i < blockedThreads; i++ {
		go func() {
			runtime.LockOSThread()
			started.Done()
			buf := make([]byte, 1)
			syscall.Read(fds[0], buf) // blocks this thread until the process exits
		}()
	}
	started.Wait()
	for seq := 0; seq < n; seq++ {
		hit(0, seq)
	}
	fmt.Printf("calls %d\n", calls)
}
