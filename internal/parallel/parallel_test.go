package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		seen := make([]int32, n)
		var starts atomic.Int32
		err := Each(context.Background(), n, func() func(int) {
			starts.Add(1)
			return func(i int) { atomic.AddInt32(&seen[i], 1) }
		})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i, c := range seen {
			if c != 1 {
				t.Errorf("n=%d: index %d called %d times, want 1", n, i, c)
			}
		}
		if max := int32(min(runtime.GOMAXPROCS(0), n)); starts.Load() != max {
			t.Errorf("n=%d: %d goroutines started, want %d", n, starts.Load(), max)
		}
	}
}

func TestEachKeepsStatePerGoroutine(t *testing.T) {
	// Each goroutine's function may use its own state without locks: the
	// race detector would see a shared one.
	var mu sync.Mutex
	total := 0
	err := Each(context.Background(), 500, func() func(int) {
		local := 0
		return func(int) {
			local++
			mu.Lock()
			total++
			mu.Unlock()
		}
	})
	if err != nil || total != 500 {
		t.Fatalf("total %d, err %v; want 500, nil", total, err)
	}
}

func TestEachStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := Each(ctx, 1_000_000, func() func(int) {
		return func(int) {
			if calls.Add(1) == 10 {
				cancel()
			}
		}
	})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := calls.Load(); n >= 1_000_000 {
		t.Errorf("%d calls after cancelling, want it to stop early", n)
	}
}
