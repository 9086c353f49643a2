// go_bench_threads: the benchmark's Go program (scripts/bench.py, go_200_threads_bp).
// 200 goroutines locked to their own OS threads and blocked in read(2), as a Go server
// with many blocking syscalls has them; then one goroutine calls hit() os.Args[1] times
// (default 200) and the program exits normally.
package main

import (
	"fmt"
	"os"
	"strconv"
)

const blockedThreads = 200

func main() {
	n := 200
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	startBlockedThreads(blockedThreads)
	for seq := 0; seq < n; seq++ {
		hit(0, seq)
	}
	fmt.Printf("calls %d\n", calls)
}
