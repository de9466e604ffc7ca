// Package mirror is an image registry in the process, on loopback: the
// classroom server serves the lesson images to every learner's engine from
// it (no internet in class), and the tests stand it in for Docker Hub. It is
// go-containerregistry's registry, with what a daemon's pulls need of it.
package mirror

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"
)

// Handler is a registry keeping its blobs in blobDir ("" keeps them in memory).
func Handler(blobDir string) http.Handler {
	opts := []registry.Option{registry.Logger(log.New(io.Discard, "", 0))}
	if blobDir != "" {
		opts = append(opts, registry.WithBlobHandler(registry.NewDiskBlobHandler(blobDir)))
	}
	reg := registry.New(opts...)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		CloseOpenRange(reg, req)
		reg.ServeHTTP(w, req)
	})
}

// Limit lets at most n blob downloads of h run at once; the others wait
// their turn (a daemon shows them Waiting). Thirty engines extracting what
// they download all at once leave a 2-core machine no time for the screens
// it draws (bench/run.sh --classroom); a queue gives the same throughput.
func Limit(h http.Handler, n int) http.Handler {
	sem := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/blobs/") {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-req.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, req)
	})
}

// Serve serves h on a free port of 127.0.0.1 until ln is closed; it
// returns HOST:PORT (a daemon pulls from 127.0.0.0/8 without TLS).
func Serve(h http.Handler) (host string, ln net.Listener, err error) {
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go http.Serve(ln, h) //nolint:errcheck // ends when ln is closed
	return ln.Addr().String(), ln, nil
}

// CloseOpenRange gives an open-ended blob Range ("bytes=N-", which a daemon
// sends to resume a download a cancelled pull left half done) its end, as
// real registries take it: the in-process registry understands only
// "bytes=N-M" and would fail the resumed pull.
func CloseOpenRange(reg http.Handler, req *http.Request) {
	rg := req.Header.Get("Range")
	if req.Method != http.MethodGet || !strings.Contains(req.URL.Path, "/blobs/") || !strings.HasPrefix(rg, "bytes=") || !strings.HasSuffix(rg, "-") {
		return
	}
	var start int64
	if _, err := fmt.Sscanf(rg, "bytes=%d-", &start); err != nil {
		return
	}
	head := httptest.NewRecorder()
	reg.ServeHTTP(head, httptest.NewRequest(http.MethodHead, req.URL.String(), nil).WithContext(req.Context()))
	if head.Code != http.StatusOK || head.Result().ContentLength <= 0 {
		return
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", start, head.Result().ContentLength-1))
}
