package engines

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The registry served in a learner's namespace only reads: a learner's
// engine can pull from it, never push to it or delete from it.
func TestReadOnlyRegistry(t *testing.T) {
	t.Parallel()
	reached := 0
	srv := httptest.NewServer(readOnly(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		reached++
		io.WriteString(w, "ok") //nolint:errcheck
	})))
	defer srv.Close()
	for _, m := range []string{http.MethodPut, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		req, _ := http.NewRequest(m, srv.URL+"/v2/library/busybox/blobs/uploads/", strings.NewReader("x"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d, Allow %q", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	if reached != 0 {
		t.Errorf("a write reached the registry %d times", reached)
	}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(m, srv.URL+"/v2/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", m, resp.StatusCode)
		}
	}
	if reached != 2 {
		t.Errorf("reads reached it %d times, want 2", reached)
	}
}

func TestUnescapeMount(t *testing.T) {
	t.Parallel()
	if got := unescapeMount(`/tmp/a\040b\011c`); got != "/tmp/a b\tc" {
		t.Errorf("%q", got)
	}
	if got := unescapeMount(`/plain`); got != "/plain" {
		t.Errorf("%q", got)
	}
}
