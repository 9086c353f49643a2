// go_threads: 200 goroutines each locked to its own OS thread and blocked in
// read(2); then main calls ready() (gdb's breakpoint: info threads, bt, info
// goroutines) and exits normally.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
)

const lockedThreads = 200

//go:noinline
func ready(n int) {
	fmt.Printf("ready %d\n", n)
}

func main() {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	var started sync.WaitGroup
	started.Add(lockedThreads)
	for i := 0; i < lockedThreads; i++ {
		go func() {
			runtime.LockOSThread()
			started.Done()
			buf := make([]byte, 1)
			syscall.Read(fds[0], buf) // blocks this thread until the pipe closes
		}()
	}
	started.Wait()
	ready(lockedThreads)
}
