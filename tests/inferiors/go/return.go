// go_return: main returns (exit status 0) after 20..219 calls of hit(), while
// 50 goroutines spin (os.Args[1] if given) and 4 hit a breakpoint.
package main

func main() {
	var stop int32
	startSpinners(&stop)
	for id := 0; id < 4; id++ {
		go hitForever(id)
	}
	waitCalls(randomTarget())
}
