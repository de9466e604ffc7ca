package docker_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// fakeEngine answers /_ping and /version as an engine of the given API
// version would: engines that are not on this machine (older than Debian's
// 20.10, newer than any released) cannot be run here, and negotiation only
// needs those two answers.
func fakeEngine(t *testing.T, version, api string) docker.Endpoint {
	t.Helper()
	dir, err := os.MkdirTemp("", "llfake")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Api-Version", api)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			fmt.Fprint(w, "OK")
		case strings.HasSuffix(r.URL.Path, "/version"):
			fmt.Fprintf(w, `{"Version":%q,"ApiVersion":%q,"MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}`, version, api)
		default:
			http.Error(w, `{"message":"page not found"}`, http.StatusNotFound)
		}
	}))
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return docker.Endpoint{Host: "unix://" + sock, Source: "DOCKER_HOST"}
}

func TestEngineTooOldNamesBothVersions(t *testing.T) {
	cli, err := docker.New(fakeEngine(t, "1.13.1", "1.26"))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	_, err = cli.Connect(context.Background())
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindTooOld {
		t.Fatalf("got %v, want too old", err)
	}
	if de.EngineAPI != "1.26" || de.MinAPI != docker.MinAPIVersion || !strings.Contains(err.Error(), "1.13.1") ||
		!strings.Contains(err.Error(), "1.26") || !strings.Contains(err.Error(), docker.MinAPIVersion) {
		t.Errorf("the message does not name the versions: %v", err)
	}
}

func TestEngineNewerThanTheSDKIsNegotiatedDown(t *testing.T) {
	cli, err := docker.New(fakeEngine(t, "99.0.0", "1.99"))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	e, err := cli.Connect(context.Background())
	if err != nil {
		t.Fatalf("a newer engine: %v", err)
	}
	// The SDK speaks its own newest version to it, which the engine accepts.
	if e.Version != "99.0.0" || e.APIVersion == "1.99" || e.APIVersion < docker.MinAPIVersion {
		t.Errorf("engine %+v", e)
	}
	t.Logf("engine %s (API 1.99) spoken to in API %s", e.Version, e.APIVersion)
}
