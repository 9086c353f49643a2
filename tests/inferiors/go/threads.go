// go_threads: 200 goroutines each locked to its own OS thread and blocked in
// read(2); then main calls ready() (gdb's breakpoint: info threads, bt, info
// goroutines) and exits normally.
package main

import "fmt"

const lockedThreads = 200

//go:noinline
func ready(n int) {
	fmt.Printf("ready %d\n", n)
}

func main() {
	startBlockedThreads(lockedThreads)
	ready(lockedThreads)
}
