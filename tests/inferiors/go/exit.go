// go_exit: os.Exit(3) from a goroutine, after 20..219 calls of hit(), while 50
// goroutines spin (os.Args[1] if given), 20 are blocked in read(2) on a pipe
// and 4 hit a breakpoint.
package main

import (
	"os"
	"syscall"
)

func main() {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		panic(err)
	}
	var stop int32
	startSpinners(&stop)
	for i := 0; i < 20; i++ {
		go func() {
			buf := make([]byte, 1)
			syscall.Read(fds[0], buf) // never returns: nobody writes
		}()
	}
	for id := 0; id < 4; id++ {
		go hitForever(id)
	}
	target := randomTarget()
	go func() {
		waitCalls(target)
		os.Exit(3)
	}()
	select {}
}
