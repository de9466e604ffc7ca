package classroom

import (
	"net/http"
	"strings"
	"testing"
)

// Issue 27 (tried as an attacker): a user of the instructor's machine
// pushed an image of their own into the classroom registry on 127.0.0.1,
// and learners pulled it. Once the lesson images are published the
// registry is sealed: a push gets 405, a pull still works.
func TestTheSealedRegistryTakesNoPush(t *testing.T) {
	t.Parallel()
	r, err := StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	post := func() int {
		resp, err := http.Post("http://"+r.Host+"/v2/library/busybox/blobs/uploads/", "application/octet-stream", strings.NewReader(""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(); code != http.StatusAccepted {
		t.Fatalf("before the seal a push starts with %d, want 202 (the test proves nothing)", code)
	}
	r.Seal()
	if code := post(); code != http.StatusMethodNotAllowed {
		t.Errorf("a push into the sealed registry: %d, want 405", code)
	}
	resp, err := http.Get("http://" + r.Host + "/v2/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("reading the sealed registry: %d", resp.StatusCode)
	}
}
