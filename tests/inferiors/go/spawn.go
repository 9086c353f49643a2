// go_spawn: os/exec while a breakpoint is hit. 4 goroutines call hit() 10 times each while 2
// others run 3 rounds each of `/bin/sh -c "exit K"` (K = 3..8, the exit status checked) and
// `/bin/echo spawn-ok` (the output checked): 12 children, each cloned with CLONE_VFORK and
// running runtime code (syscall.runtime_AfterForkInChild) in our address space until its
// exec. Prints "spawned 12 fine" (or WRONG lines) and "calls 40"; exits 0 only if every
// child was as expected, 1 otherwise.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
)

func main() {
	var wg sync.WaitGroup
	for id := 0; id < 4; id++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for seq := 0; seq < 10; seq++ {
				hit(id, seq)
				runtime.Gosched()
			}
		}(id)
	}
	var fine, wrong int32
	for s := 0; s < 2; s++ {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			for k := 0; k < 3; k++ {
				code := 3 + 3*s + k
				err := exec.Command("/bin/sh", "-c", fmt.Sprintf("exit %d", code)).Run()
				var exitErr *exec.ExitError
				if errors.As(err, &exitErr) && exitErr.ExitCode() == code {
					atomic.AddInt32(&fine, 1)
				} else {
					atomic.AddInt32(&wrong, 1)
					fmt.Printf("WRONG: sh exit %d: %v\n", code, err)
				}
				out, err := exec.Command("/bin/echo", "spawn-ok").Output()
				if err == nil && string(out) == "spawn-ok\n" {
					atomic.AddInt32(&fine, 1)
				} else {
					atomic.AddInt32(&wrong, 1)
					fmt.Printf("WRONG: echo: %q %v\n", out, err)
				}
			}
		}(s)
	}
	wg.Wait()
	if wrong == 0 {
		fmt.Printf("spawned %d fine\n", fine)
	}
	fmt.Printf("calls %d\n", atomic.LoadInt64(&calls))
	if wrong != 0 {
		os.Exit(1)
	}
}
