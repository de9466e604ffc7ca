package docker

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 28, 14: a socket where a web server answers was called "not
// answering" with systemctl advice and its HTML as "Docker said". It is
// something else that answers: KindNotDocker.
func TestSomethingElseAnswersIsNotDocker(t *testing.T) {
	t.Parallel()
	for name, h := range map[string]http.HandlerFunc{
		"a 404 page": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte("<html><body>Not Found</body></html>")) //nolint:errcheck
		},
		"a 200 page": func(w http.ResponseWriter, _ *http.Request) {
			w.Write([]byte("<html><body>hello</body></html>")) //nolint:errcheck
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sock := filepath.Join(t.TempDir(), "web.sock")
			ln, err := net.Listen("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			srv := &http.Server{Handler: h}
			go srv.Serve(ln) //nolint:errcheck
			defer srv.Close()
			c, err := New(Endpoint{Host: "unix://" + sock})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err = c.Connect(ctx)
			if KindOf(err) != KindNotDocker {
				t.Errorf("%s: kind %v (%v), want not Docker", name, KindOf(err), err)
			}
		})
	}
}

// Issue 28, 16: on Podman's Docker API, doctor said "Docker 4.3.1 … Ready"
// and the rmi lesson's f (rmi -f) removed a learner's running container:
// Podman's force removes the containers using the image. The engine is
// known as Podman (its version's components say so), and a forced removal
// is never sent there.
func TestPodmanIsKnownAndForcedRemovalIsNotSent(t *testing.T) {
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "podman.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var asked []string
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Api-Version", "1.41")
		w.Header().Set("Server", "Libpod/4.3.1 (linux)")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			w.Write([]byte("OK")) //nolint:errcheck
		case strings.HasSuffix(r.URL.Path, "/version"):
			w.Write([]byte(`{"Platform":{"Name":"linux/amd64/debian-12"},"Components":[{"Name":"Podman Engine","Version":"4.3.1"}],"Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}`)) //nolint:errcheck
		case strings.HasSuffix(r.URL.Path, "/info"):
			w.Write([]byte(`{}`)) //nolint:errcheck
		case strings.HasSuffix(r.URL.Path, "/images/busybox:latest/json"):
			w.Write([]byte(`{"Id":"sha256:` + strings.Repeat("ab", 32) + `","RepoTags":["docker.io/library/busybox:latest"],"Config":{}}`)) //nolint:errcheck
		case strings.HasSuffix(r.URL.Path, "/containers/json"):
			// A learner's container made from it: -f would take it.
			w.Write([]byte(`[{"Id":"` + strings.Repeat("cd", 32) + `","Names":["/mine"],"ImageID":"sha256:` + strings.Repeat("ab", 32) + `"}]`)) //nolint:errcheck
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
	})}
	go srv.Serve(ln) //nolint:errcheck
	defer srv.Close()
	c, err := New(Endpoint{Host: "unix://" + sock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e, err := c.Connect(ctx)
	if err != nil || !e.Podman {
		t.Fatalf("Podman not known: %+v %v", e, err)
	}
	if !c.IsPodman() || !c.AsLearner().IsPodman() {
		t.Errorf("IsPodman false after Connect to Podman")
	}
	// Not layerlab's: refused as anywhere. The learner's own (AsLearner):
	// refused there, a container uses it.
	if _, err := c.RemoveImage(ctx, "busybox:latest", true); KindOf(err) != KindNotOwned {
		t.Errorf("rmi -f on Podman of an image not layerlab's: %v, want not owned", err)
	}
	if _, err := c.AsLearner().RemoveImage(ctx, "busybox:latest", true); KindOf(err) != KindEngineDiffers {
		t.Errorf("rmi -f on Podman of an image a container uses: %v, want it not sent", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range asked {
		if strings.HasPrefix(a, "DELETE") {
			t.Errorf("a removal was sent to Podman: %s", a)
		}
	}
}
