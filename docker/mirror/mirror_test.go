package mirror

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"testing"
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
