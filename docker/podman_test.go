package docker

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
)

// TestPodmanFormsAreDockers: Podman's bare ids and fully qualified names
// read as Docker's; Docker's own are left as they are.
func TestPodmanFormsAreDockers(t *testing.T) {
	t.Parallel()
	id := "edd7011a3d57beab74a9581a53f19cbc40702cb95bcfabc1af6c1e23937b6197"
	for in, want := range map[string]string{id: "sha256:" + id, "sha256:" + id: "sha256:" + id, "": "", "edd7011a3d57": "edd7011a3d57"} {
		if got := fullID(in); got != want {
			t.Errorf("fullID(%q) = %q, want %q", in, got, want)
		}
	}
	tags := []string{"docker.io/library/busybox:1.36", "localhost/busybox:latest", "busybox:1.36", "127.0.0.1:5000/library/python:3.6.0-slim", "<none>:<none>"}
	familiarTags(tags)
	if fmt.Sprint(tags) != "[busybox:1.36 localhost/busybox:latest busybox:1.36 127.0.0.1:5000/library/python:3.6.0-slim <none>:<none>]" {
		t.Errorf("familiar: %v", tags)
	}
	for in, want := range map[string]string{"docker.io/library/busybox:latest": "busybox:latest", "b913d25e9497": "b913d25e9497", "busybox": "busybox", "": ""} {
		if got := familiarImage(in); got != want {
			t.Errorf("familiarImage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPodmansImageEventsTakeDockersForms: Podman's image events (recorded
// from podman 4.3.1's /events) carry a bare id and a whole name; read, they
// carry Docker's, so a delete matches the ledger's id. A save's name is its
// file, and a container's event is left as it is.
func TestPodmansImageEventsTakeDockersForms(t *testing.T) {
	t.Parallel()
	id := "6a819528c0826d6b7b3ef43a11245bb41f3abeaaae25c340a8a7d0289d05dace"
	for _, c := range []struct{ in, want Event }{
		{Event{Type: "image", Action: "delete", ID: id, Name: "docker.io/library/cow-demo:v1"}, Event{Type: "image", Action: "delete", ID: "sha256:" + id, Name: "cow-demo:v1"}},
		{Event{Type: "image", Action: "delete", ID: id, Name: id}, Event{Type: "image", Action: "delete", ID: "sha256:" + id, Name: id}},
		{Event{Type: "image", Action: "untag", ID: id, Name: "docker.io/library/busybox:1.36"}, Event{Type: "image", Action: "untag", ID: "sha256:" + id, Name: "busybox:1.36"}},
		{Event{Type: "image", Action: "save", ID: id, Name: "/var/tmp/api.tar702669987"}, Event{Type: "image", Action: "save", ID: "sha256:" + id, Name: "/var/tmp/api.tar702669987"}},
		{Event{Type: "image", Action: "pull", Name: "127.0.0.1:42885/library/busybox:1.36"}, Event{Type: "image", Action: "pull", Name: "127.0.0.1:42885/library/busybox:1.36"}},
		{Event{Type: "container", Action: "commit", ID: id, Name: "mybox"}, Event{Type: "container", Action: "commit", ID: id, Name: "mybox"}},
		{Event{Type: "volume", Action: "remove", Name: "my-data"}, Event{Type: "volume", Action: "destroy", Name: "my-data"}},
		{Event{Type: "container", Action: "remove", ID: id, Name: "mybox"}, Event{Type: "container", Action: "destroy", ID: id, Name: "mybox"}},
		{Event{Type: "volume", Action: "create", Name: "my-data"}, Event{Type: "volume", Action: "create", Name: "my-data"}},
	} {
		if got := podmanEvent(c.in); got != c.want {
			t.Errorf("podmanEvent(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

// TestAVolumeEventWithoutAnActorIsNamed: Podman's volume events carry the
// name as an attribute, not as the actor (recorded from podman 4.3.1).
func TestAVolumeEventWithoutAnActorIsNamed(t *testing.T) {
	t.Parallel()
	m := events.Message{Type: events.VolumeEventType, Action: "create", Actor: events.Actor{Attributes: map[string]string{"name": "vtest3", "podId": ""}}}
	if ev := (&Client{}).toEvent(m); ev.Name != "vtest3" || ev.Type != "volume" || ev.Action != "create" {
		t.Errorf("%+v", ev)
	}
	m = events.Message{Type: events.VolumeEventType, Action: "mount", Actor: events.Actor{ID: "my-data", Attributes: map[string]string{"container": "c1", "name": "other"}}}
	if ev := (&Client{}).toEvent(m); ev.Name != "my-data" || ev.Container != "c1" {
		t.Errorf("Docker's: %+v", ev)
	}
}

// TestPodmansOwnFilesAreNotTheLearners: the files Podman adds to every
// writable layer (recorded from a commit on Podman 4.3.1), and the folders
// they alone changed, are left out; what the learner did stays.
func TestPodmansOwnFilesAreNotTheLearners(t *testing.T) {
	t.Parallel()
	ch := withoutPodmanChanges([]Change{{Changed, "/etc"}, {Added, "/hello.txt"}})
	if len(ch) != 1 || ch[0].Path != "/hello.txt" {
		t.Errorf("diff: %v", ch)
	}
	ch = withoutPodmanChanges([]Change{{Changed, "/etc"}, {Added, "/etc/mtab"}, {Deleted, "/etc/motd"}, {Added, "/run"}, {Added, "/run/.containerenv"}, {Added, "/hello.txt"}})
	if len(ch) != 3 || ch[0].Path != "/etc" || ch[1].Path != "/etc/motd" || ch[2].Path != "/hello.txt" {
		t.Errorf("diff with the learner's change in /etc: %v", ch)
	}
	l := withoutPodmanFiles(LayerFiles{Total: 7, Bytes: 30, Files: []LayerFile{
		{Path: "/etc", Kind: Changed, Dir: true},
		{Path: "/etc/layerlab-image", Kind: Changed, Size: 18},
		{Path: "/etc/mtab", Kind: Added, Size: 12, Link: "/proc/mounts"},
		{Path: "/hello.txt", Kind: Added},
		{Path: "/run", Kind: Added, Dir: true},
		{Path: "/run/.containerenv", Kind: Added},
		{Path: "/etc/motd", Kind: Deleted},
	}})
	var got []string
	for _, f := range l.Files {
		got = append(got, f.Kind.Letter()+" "+f.Path)
	}
	if fmt.Sprint(got) != "[C /etc C /etc/layerlab-image A /hello.txt D /etc/motd]" || l.Total != 4 || l.Bytes != 18 {
		t.Errorf("layer: %v total %d bytes %d", got, l.Total, l.Bytes)
	}
}

// TestPodmansAnswersAreMarkedSo: an error made of a daemon's answer is
// marked Podman's on Podman (the front ends then say "Podman said"), and
// not on Docker.
func TestPodmansAnswersAreMarkedSo(t *testing.T) {
	t.Parallel()
	c, err := New(Endpoint{Host: "unix:///nonexistent.sock"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	said := fmt.Errorf("Error response from daemon: image rmi-demo:v1 is in use")
	var de *Error
	if e := c.classify(said, "remove image rmi-demo:v1"); !asError(e, &de) || de.Podman {
		t.Errorf("on Docker: %+v", de)
	}
	c.podman.Store(true)
	if e := c.classify(said, "remove image rmi-demo:v1"); !asError(e, &de) || !de.Podman {
		t.Errorf("on Podman: %+v", de)
	}
	if c.marked(nil) != nil {
		t.Error("no error is no error")
	}
}

func asError(err error, de **Error) bool {
	e, ok := err.(*Error)
	*de = e
	return ok
}

// TestASlowPodmanIsNotDown: Podman answers its ping at once and /version
// and /info only after reading its whole store (10 s seen here on a busy
// machine): an engine that answered its ping is slow, not down, whatever
// the caller's short deadline; Connect asks Podman no /info (no containerd
// store there). One that never answers its ping is still said to be down at
// the deadline, and a cancellation still stops the wait.
func TestASlowPodmanIsNotDown(t *testing.T) {
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "podman.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var asked []string
	frozen := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Api-Version", "1.41")
		switch {
		case strings.HasSuffix(r.URL.Path, "/_ping"):
			w.Write([]byte("OK")) //nolint:errcheck
		case strings.HasSuffix(r.URL.Path, "/version"):
			time.Sleep(600 * time.Millisecond)                                                                                                               // three times the caller's deadline
			w.Write([]byte(`{"Components":[{"Name":"Podman Engine","Version":"4.3.1"}],"Version":"4.3.1","ApiVersion":"1.41","Os":"linux","Arch":"amd64"}`)) //nolint:errcheck
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
	})}
	go srv.Serve(ln) //nolint:errcheck
	defer srv.Close()
	defer close(frozen)
	c, err := New(Endpoint{Host: "unix://" + sock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if e, err := c.Connect(ctx); err != nil || !e.Podman || e.Version != "4.3.1" {
		t.Fatalf("a slow Podman: %+v %v", e, err)
	}
	mu.Lock()
	for _, a := range asked {
		if strings.HasSuffix(a, "/info") {
			t.Errorf("Podman was asked its /info at connect")
		}
	}
	mu.Unlock()
	// Cancelled after the ping: stopped, not waited for.
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel2)
	start := time.Now()
	if _, err := c.Connect(ctx2); KindOf(err) != KindCanceled || time.Since(start) > 500*time.Millisecond {
		t.Errorf("cancelled: %v after %v", err, time.Since(start))
	}
	// A daemon that takes the ping and never answers it is down at the deadline.
	fsock := filepath.Join(t.TempDir(), "frozen.sock")
	fln, err := net.Listen("unix", fsock)
	if err != nil {
		t.Fatal(err)
	}
	fsrv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-frozen })}
	go fsrv.Serve(fln) //nolint:errcheck
	defer fsrv.Close()
	fz, err := New(Endpoint{Host: "unix://" + fsock})
	if err != nil {
		t.Fatal(err)
	}
	defer fz.Close()
	ctx3, cancel3 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel3()
	start = time.Now()
	if _, err := fz.Connect(ctx3); err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("a frozen daemon: %v after %v", err, time.Since(start))
	}
}
