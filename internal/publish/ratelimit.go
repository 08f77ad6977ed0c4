package publish

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// RateLimitTransport waits out GitHub's rate limits as GitHub documents:
// a 403 or 429 that carries Retry-After, or x-ratelimit-remaining: 0, is
// retried after Retry-After seconds, else after the x-ratelimit-reset
// time, else after at least a minute, and then after exponentially longer
// waits, until the total wait would pass MaxWait. A 403 without those
// headers is a missing permission and is not retried, nor is any other
// 4xx. go-github v60 does not know 429 at all, hence a transport.
type RateLimitTransport struct {
	Base http.RoundTripper
	// Log receives one line per wait.
	Log io.Writer
	// Sleep waits d or until ctx is done; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that x-ratelimit-reset is compared with.
	Now func() time.Time
	// MaxWait bounds the total wait (default 15 min).
	MaxWait time.Duration
}

// minWait is GitHub's "wait at least one minute" when no header says
// how long.
const minWait = time.Minute

func (t *RateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	maxWait := t.MaxWait
	if maxWait == 0 {
		maxWait = 15 * time.Minute
	}
	var waited time.Duration
	for retry := 0; ; retry++ {
		r := req
		if retry > 0 {
			r = req.Clone(req.Context())
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		wait, limited := t.wait(resp, retry)
		if !limited || waited+wait > maxWait || (retry > 0 && req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if t.Log != nil {
			fmt.Fprintf(t.Log, "jobfam: GitHub rate limit (HTTP %d) on %s %s: waiting %s before retrying\n",
				resp.StatusCode, req.Method, req.URL.Path, wait.Round(time.Second))
		}
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		waited += wait
	}
}

// wait tells whether resp is a rate limit and how long to wait before
// retry number retry+1.
func (t *RateLimitTransport) wait(resp *http.Response, retry int) (time.Duration, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	h := resp.Header
	var d time.Duration
	switch {
	case h.Get("Retry-After") != "":
		s, err := strconv.Atoi(h.Get("Retry-After"))
		if err != nil || s < 0 {
			d = minWait
		} else {
			d = time.Duration(s) * time.Second
		}
	case h.Get("X-Ratelimit-Remaining") == "0":
		d = minWait
		if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			if until := time.Unix(reset, 0).Sub(t.now()); until > 0 {
				d = until + time.Second
			} else {
				d = time.Second
			}
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		d = minWait
	default:
		// A 403 without rate-limit headers: a permission is missing.
		return 0, false
	}
	// Past the first retry, back off exponentially from a minute.
	if retry > 0 {
		if b := minWait << (retry - 1); b > d {
			d = b
		}
	}
	return d, true
}

func (t *RateLimitTransport) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *RateLimitTransport) sleep(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
