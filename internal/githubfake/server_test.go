package githubfake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRoutingAndErrors(t *testing.T) {
	s, _, _ := handbook(t)
	runSteps(t, s, []step{
		{"unknown route", "GET", "user/repos", "", 404, "Not Found"},
		{"unknown repo route", "GET", repoPath + "issues", "", 404, "Not Found"},
		{"wrong method", "PUT", repoPath + "git/refs/heads/main", `{}`, 404, "Not Found"},
		{"bad JSON", "POST", repoPath + "git/refs", `{"ref":`, 400, "Problems parsing JSON"},
		{"empty body", "PATCH", repoPath + "git/refs/heads/main", ``, 400, "Problems parsing JSON"},
		{"wrong type", "PATCH", repoPath + "git/refs/heads/main", `{"sha":12}`, 422, "Invalid request"},
		{"enterprise prefix", "GET", "api/v3/" + repoPath + "git/ref/heads/main", "", 200, ""},
	})
}

func TestRateLimitHeaders(t *testing.T) {
	s, _, _ := handbook(t)
	first := send(t, s, "GET", repoPath, "")
	second := send(t, s, "GET", repoPath+"nope", "")
	got := []string{
		first.header.Get("X-RateLimit-Limit"), first.header.Get("X-RateLimit-Remaining"),
		second.header.Get("X-RateLimit-Remaining"), second.header.Get("X-RateLimit-Used"),
	}
	if diff := cmp.Diff([]string{"5000", "4999", "4998", "2"}, got); diff != "" {
		t.Errorf("rate-limit headers (-want +got):\n%s", diff)
	}
	reset := first.header.Get("X-RateLimit-Reset")
	if want := fmt.Sprint(time.Now().Add(time.Hour).Unix()); len(reset) != len(want) || reset > want {
		t.Errorf("X-RateLimit-Reset = %q, want an epoch about an hour ahead (%s)", reset, want)
	}
}

func TestRequireToken(t *testing.T) {
	s, _, _ := handbook(t)
	s.RequireToken("s3cret")
	tests := []struct {
		auth string
		want int
	}{
		{"", 401},
		{"Bearer wrong", 401},
		{"s3cret", 401},
		{"Bearer s3cret", 200},
		{"token s3cret", 200},
	}
	for _, tt := range tests {
		a := send(t, s, "GET", repoPath, "", "Authorization", tt.auth)
		if a.status != tt.want {
			t.Errorf("Authorization %q: status %d, want %d", tt.auth, a.status, tt.want)
		}
		if tt.want == 401 && a.messages() != "Bad credentials" {
			t.Errorf("Authorization %q: message %q, want Bad credentials", tt.auth, a.messages())
		}
	}
}

func TestRequestLog(t *testing.T) {
	s, r, head := handbook(t)
	send(t, s, "GET", repoPath+"git/trees/main?recursive=1", "")
	send(t, s, "POST", repoPath+"git/refs", fmt.Sprintf(`{"ref":"refs/heads/main","sha":%q}`, head))
	send(t, s, "DELETE", repoPath+"git/refs/heads/nope", "")
	want := []Request{
		{Method: "GET", Path: "/" + repoPath + "git/trees/main", Query: "recursive=1", Status: 200},
		{Method: "POST", Path: "/" + repoPath + "git/refs", Status: 422, Write: true},
		{Method: "DELETE", Path: "/" + repoPath + "git/refs/heads/nope", Status: 422, Write: true},
	}
	if diff := cmp.Diff(want, s.Requests()); diff != "" {
		t.Errorf("Requests (-want +got):\n%s", diff)
	}
	s.ResetRequests()
	r.Commit("main", "setup is not logged", map[string]string{"z": "z"})
	if got := s.Requests(); len(got) != 0 {
		t.Errorf("after ResetRequests and setup: %v, want none", got)
	}
}

// createRefBody creates branch "new" at main's head.
func createRefBody(r *Repo) string {
	return fmt.Sprintf(`{"ref":"refs/heads/new","sha":%q}`, r.Head("main"))
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name       string
		fault      Fault
		clientWait time.Duration // client timeout; 0 = none
		wantErr    bool          // the client gets no response
		wantStatus int
		wantHeader map[string]string
		applied    bool // branch "new" exists afterwards
	}{
		{
			name:       "5xx is not applied",
			fault:      Fault{Method: "POST", Path: "/git/refs", Status: 502},
			wantStatus: 502, applied: false,
		},
		{
			name:       "secondary rate limit",
			fault:      Fault{Path: "git/refs", Status: 403, Header: http.Header{"Retry-After": {"7"}}},
			wantStatus: 403, wantHeader: map[string]string{"Retry-After": "7", "X-RateLimit-Remaining": "4999"},
		},
		{
			name:       "primary rate limit",
			fault:      Fault{Status: 429, Header: http.Header{"x-ratelimit-remaining": {"0"}, "X-RateLimit-Reset": {"1700000000"}}},
			wantStatus: 429, wantHeader: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000000"},
		},
		{
			name:       "403 without rate-limit headers is a missing permission",
			fault:      Fault{Status: 403},
			wantStatus: 403, wantHeader: map[string]string{"X-RateLimit-Remaining": "4999"},
		},
		{
			name:       "status defaults to 500",
			fault:      Fault{Kind: Status},
			wantStatus: 500,
		},
		{
			name:       "fault for another path does not fire",
			fault:      Fault{Path: "/pulls", Status: 500},
			wantStatus: 201, applied: true,
		},
		{
			name:       "fault for another method does not fire",
			fault:      Fault{Method: "GET", Status: 500},
			wantStatus: 201, applied: true,
		},
		{
			name:    "drop after apply",
			fault:   Fault{Method: "POST", Path: "/git/refs", Kind: DropAfterApply},
			wantErr: true, applied: true,
		},
		{
			name:       "timeout applies before the client gives up",
			fault:      Fault{Kind: Timeout, Delay: 2 * time.Second},
			clientWait: 100 * time.Millisecond,
			wantErr:    true, applied: true,
		},
		{
			name:       "slow but in time",
			fault:      Fault{Kind: Timeout, Delay: 20 * time.Millisecond},
			wantStatus: 201, applied: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, r, _ := handbook(t)
			s.Inject(tt.fault)
			ctx := context.Background()
			if tt.clientWait > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.clientWait)
				defer cancel()
			}
			req, _ := http.NewRequestWithContext(ctx, "POST", s.URL()+repoPath+"git/refs", strings.NewReader(createRefBody(r)))
			start := time.Now()
			resp, err := s.Client().Do(req)
			if tt.wantErr {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got status %d, want a transport error", resp.StatusCode)
				}
				if tt.clientWait > 0 && time.Since(start) > time.Second {
					t.Errorf("client waited %v, want about %v", time.Since(start), tt.clientWait)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
				}
				for k, v := range tt.wantHeader {
					if got := resp.Header.Get(k); got != v {
						t.Errorf("header %s = %q, want %q", k, got, v)
					}
				}
			}
			if got := r.Head("new") != ""; got != tt.applied {
				t.Errorf("applied = %v, want %v", got, tt.applied)
			}
			// The fault is used up: the same request now gets GitHub's answer.
			a := send(t, s, "POST", repoPath+"git/refs", createRefBody(r))
			if want := map[bool]int{true: 422, false: 201}[tt.applied]; a.status != want {
				t.Errorf("after the fault: status %d, want %d", a.status, want)
			}
		})
	}
}

func TestFaultTimesAndLog(t *testing.T) {
	s, _, _ := handbook(t)
	s.Inject(Fault{Path: "/git/ref/", Times: 2, Status: 503})
	var got []int
	for range 3 {
		got = append(got, send(t, s, "GET", repoPath+"git/ref/heads/main", "").status)
	}
	if diff := cmp.Diff([]int{503, 503, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	var faults []string
	for _, r := range s.Requests() {
		faults = append(faults, r.Fault)
	}
	if diff := cmp.Diff([]string{"Status", "Status", ""}, faults); diff != "" {
		t.Errorf("logged faults (-want +got):\n%s", diff)
	}
}

func TestConcurrentUse(t *testing.T) {
	s, r, _ := handbook(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"ref":"refs/heads/b%d","sha":%q}`, i, r.Head("main"))
			resp, err := s.Client().Post(s.URL()+repoPath+"git/refs", "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			r.Files("main")
		}()
	}
	wg.Wait()
	if got := len(s.Requests()); got != 20 {
		t.Errorf("logged %d requests, want 20", got)
	}
}
