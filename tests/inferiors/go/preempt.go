// go_preempt: 8 goroutines each run a tight loop of MILLIONS (default 200)
// million iterations, with no function calls: only async preemption (SIGURG)
// can take the processor from them, and the runtime sends it all the time.
// Prints the wall time of the work and how many SIGURGs the program saw.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const goroutines = 8

var sink int64

func work(n int) {
	sum := 0
	for i := 0; i < n; i++ {
		sum += i ^ (sum >> 3)
	}
	atomic.AddInt64(&sink, int64(sum))
}

func main() {
	millions := 200
	if len(os.Args) > 1 {
		millions, _ = strconv.Atoi(os.Args[1])
	}
	// Notify adds a copy of each SIGURG for us; the runtime still preempts with it.
	// A count above 0 proves the signals reached the program.
	urgs := make(chan os.Signal, 1024)
	signal.Notify(urgs, syscall.SIGURG)
	var seen int64
	go func() {
		for range urgs {
			atomic.AddInt64(&seen, 1)
		}
	}()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < goroutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(millions * 1000000)
		}()
	}
	wg.Wait()
	fmt.Printf("preempt done in %d ms, SIGURG seen %d\n",
		time.Since(start).Milliseconds(), atomic.LoadInt64(&seen))
}
