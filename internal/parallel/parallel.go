// Package parallel spreads work over the machine's CPUs: validating,
// formatting and loading families are independent per file, and a
// repository of thousands of files should use every core.
package parallel

import (
	"context"
	"runtime"
	"sync"
)

// Each calls a function for every index in [0, n), on one goroutine per
// CPU (and no more than n). start is called once on each goroutine and
// returns that goroutine's function, so that each can keep state of its
// own, such as a CUE context, which is not safe for concurrent use. Each
// stops handing out indexes when ctx is done, waits for the calls under
// way, and returns ctx.Err().
func Each(ctx context.Context, n int, start func() func(i int)) error {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := start()
			for i := range jobs {
				do(i)
			}
		}()
	}
feed:
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return ctx.Err()
}
