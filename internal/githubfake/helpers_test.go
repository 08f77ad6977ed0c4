package githubfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// step is one request of a scenario and what GitHub would answer.
type step struct {
	name    string
	method  string
	path    string // relative to the base URL, e.g. "repos/acme/handbook/git/refs"
	body    string
	status  int
	message string // substring of "message" or of any errors[].message; "" = not checked
}

type answer struct {
	status int
	header http.Header
	json   map[string]any
	list   []any
}

func send(t *testing.T, s *Server, method, path, body string, hdr ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &a.list); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, path, raw, err)
		}
	} else if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.json); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, path, raw, err)
		}
	}
	return a
}

// messages is the top-level message followed by every errors[].message.
func (a answer) messages() string {
	msgs := []string{}
	if m, ok := a.json["message"].(string); ok {
		msgs = append(msgs, m)
	}
	if errs, ok := a.json["errors"].([]any); ok {
		for _, e := range errs {
			if m, ok := e.(map[string]any)["message"].(string); ok {
				msgs = append(msgs, m)
			}
		}
	}
	return strings.Join(msgs, " | ")
}

func runSteps(t *testing.T, s *Server, steps []step) {
	t.Helper()
	for _, st := range steps {
		a := send(t, s, st.method, st.path, st.body)
		if a.status != st.status {
			t.Errorf("%s: %s %s: status %d, want %d (%s)", st.name, st.method, st.path, a.status, st.status, a.messages())
			continue
		}
		if st.message != "" && !strings.Contains(a.messages(), st.message) {
			t.Errorf("%s: message %q, want it to contain %q", st.name, a.messages(), st.message)
		}
	}
}

// str digs a string out of decoded JSON: str(m, "object", "sha").
func str(v any, keys ...string) string {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return s
}
