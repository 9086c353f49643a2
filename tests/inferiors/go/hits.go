// go_hits: 8 goroutines call hit() 10 times each, 80 calls in all, then main
// prints "calls 80" and exits normally. gdb must report exactly 80 hits.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

const (
	workers   = 8
	perWorker = 10
)

func main() {
	var wg sync.WaitGroup
	for id := 0; id < workers; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for seq := 0; seq < perWorker; seq++ {
				hit(id, seq)
				runtime.Gosched()
			}
		}(id)
	}
	wg.Wait()
	fmt.Printf("calls %d\n", atomic.LoadInt64(&calls))
}
