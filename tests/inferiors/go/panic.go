// go_panic: a goroutine panics (exit status 2) after 20..219 calls of hit(),
// while 50 goroutines spin (os.Args[1] if given) and 4 hit a breakpoint.
package main

func main() {
	var stop int32
	startSpinners(&stop)
	for id := 0; id < 4; id++ {
		go hitForever(id)
	}
	target := randomTarget()
	go func() {
		waitCalls(target)
		panic("go_panic: deliberate")
	}()
	select {}
}
