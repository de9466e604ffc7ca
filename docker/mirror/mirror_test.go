package mirror

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// A daemon resumes a layer that a cancelled pull left half downloaded with
// an open-ended Range; the in-process registry must answer it as Docker Hub
// does, or a retried pull fails (seen in CI: "We don't understand your Range").
func TestRegistryResumesOpenEndedRange(t *testing.T) {
	t.Parallel()
	host, ln, err := Serve(Handler(t.TempDir())) // blobs on disk, as the classroom keeps them
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	blob := []byte("0123456789abcdef")
	sum := sha256.Sum256(blob)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	base := "http://" + host + "/v2/library/busybox/blobs/"
	resp, err := http.Post(base+"uploads/?digest="+digest, "application/octet-stream", bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %s", resp.Status)
	}
	for _, tc := range []struct{ rng, want string }{
		{"bytes=10-", "abcdef"},
		{"bytes=0-", string(blob)},
		{"bytes=2-4", "234"},
	} {
		req, _ := http.NewRequest(http.MethodGet, base+digest, nil)
		req.Header.Set("Range", tc.rng)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || string(body) != tc.want {
			t.Errorf("Range %s: %s %q, want 206 %q", tc.rng, resp.Status, body, tc.want)
		}
	}
}

// Limit lets n blob downloads run at once; the rest wait their turn, and
// everything else (manifests, HEADs) never waits.
func TestLimitQueuesBlobDownloads(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	running, most := 0, 0
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/blobs/") {
			return
		}
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
	})
	h := Limit(slow, 2)
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v2/x/blobs/sha256:1", nil))
		}()
	}
	time.Sleep(100 * time.Millisecond)
	// A manifest is served while the blobs queue.
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v2/x/manifests/latest", nil))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("a manifest waited behind the queued blobs")
	}
	close(release)
	wg.Wait()
	if most != 2 {
		t.Errorf("%d blob downloads ran at once, want 2", most)
	}
}
