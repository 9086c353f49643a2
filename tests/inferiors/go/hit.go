// Shared by every Go inferior: the function gdb puts its breakpoint on, and the
// goroutines that keep the runtime busy.
package main

import (
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var calls int64

// hit is called once per counted event; gdb breaks here and prints id and seq.
// noinline keeps it a real call in both builds (default and -N -l).
//
//go:noinline
func hit(id, seq int) {
	atomic.AddInt64(&calls, 1)
}

// hitForever calls hit(id, 0), hit(id, 1)... until the process ends.
func hitForever(id int) {
	for seq := 0; ; seq++ {
		hit(id, seq)
	}
}

// spin burns CPU without function calls, so only async preemption (SIGURG)
// can take the processor away from it.
func spin(stop *int32) {
	x := 0
	for atomic.LoadInt32(stop) == 0 {
		x++
	}
	_ = x
}

// randomTarget is where an exit lands: after 20..219 calls of hit().
func randomTarget() int64 {
	return 20 + rand.New(rand.NewSource(time.Now().UnixNano())).Int63n(200)
}

// waitCalls returns once hit() has run `target` times.
func waitCalls(target int64) {
	for atomic.LoadInt64(&calls) < target {
		runtime.Gosched()
	}
}

// startSpinners starts the spinning goroutines: os.Args[1] of them, else 50. With
// 50 CPU-bound goroutines on 2 processors each one waits ~250 ms for its turn; the
// stress loops ask for fewer to run faster.
func startSpinners(stop *int32) {
	n := 50
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	for i := 0; i < n; i++ {
		go spin(stop)
	}
}

// startBlockedThreads starts n goroutines, each locked to its own OS thread and blocked in
// read(2) on a pipe nobody writes, and returns once all of them run: n OS threads that stay
// until the process exits, as a Go server's blocking syscalls keep them.
func startBlockedThreads(n int) {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	var started sync.WaitGroup
	started.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			runtime.LockOSThread()
			started.Done()
			buf := make([]byte, 1)
			syscall.Read(fds[0], buf)
		}()
	}
	started.Wait()
}
