package docker

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
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

// A real engine still connects (the daemon tests run this against both).
func TestAnEngineIsDocker(t *testing.T) {
	c, err := New(ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); KindOf(err) == KindNotDocker {
		t.Errorf("the engine at %s is taken for something else: %v", c.Endpoint().Host, err)
	}
}
