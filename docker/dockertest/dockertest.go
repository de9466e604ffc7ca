// Package dockertest gives integration tests a real daemon and a registry that
// stands in for Docker Hub: an in-process registry on 127.0.0.1 serving small
// busybox-based images built with the daemon, under the names the lessons use.
package dockertest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/mirror"
)

// LabelTest marks the images this package builds, besides layerlab's own
// label; its value is the run that built them (RunID).
const LabelTest = "org.layerlab.test"

// RunID names this run of the tests in LabelTest: the go command that runs
// every package's tests is the parent of each package's test binary, so the
// packages of one `go test` share it, and another run on the same daemon (a
// CI job, another checkout) has its own. SweepLeftovers removes this run's
// images only.
var RunID = fmt.Sprintf("run-%d", os.Getppid())

// Required reports whether the daemon tests run: LAYERLAB_REQUIRE_DOCKER=1,
// or CI. Then a missing daemon fails them. Without it they skip, so that
// `go test ./...` runs only the tests that need no daemon: fast, in parallel,
// and never touching the daemon of the machine it runs on.
func Required() bool {
	return os.Getenv("LAYERLAB_REQUIRE_DOCKER") == "1" || os.Getenv("CI") != ""
}

// SkipOnPodman skips a daemon test whose statement is Docker's and not
// Podman's (why says what Podman does instead; the README lists them).
func SkipOnPodman(t testing.TB, cli *docker.Client, why string) {
	t.Helper()
	if cli.IsPodman() {
		t.Skip("not on Podman: " + why)
	}
}

// Commit is a learner's docker commit CONTAINER REF from their own
// terminal, through the SDK as the CLI does. The CLI sends no config, which
// Podman cannot read ("Decode(): EOF": Docker's CLI cannot commit there, a
// learner uses podman commit): on Podman the test sends an empty one, which
// takes the container's own as that does. It returns the image id as
// docker inspect gives it.
func Commit(t testing.TB, api *client.Client, ctr, ref string) string {
	t.Helper()
	ctx := context.Background()
	o := container.CommitOptions{Reference: ref}
	if v, err := api.ServerVersion(ctx); err == nil {
		for _, c := range v.Components {
			if strings.Contains(c.Name, "Podman") {
				o.Config = &container.Config{}
			}
		}
	}
	resp, err := api.ContainerCommit(ctx, ctr, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.ID) == 64 && !strings.HasPrefix(resp.ID, "sha256:") {
		return "sha256:" + resp.ID // Podman's answer: the id without its "sha256:"
	}
	return resp.ID
}

// Exec is a learner's docker exec CONTAINER sh -c SH from their own
// terminal: attached, as the CLI without -d, so it has ended when Exec
// returns (Podman's inspect of a detached exec says it runs for ever).
func Exec(t testing.TB, api *client.Client, ctr, sh string) {
	t.Helper()
	ctx := context.Background()
	ex, err := api.ContainerExecCreate(ctx, ctr, container.ExecOptions{Cmd: []string{"sh", "-c", sh}, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := api.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	if _, err := io.Copy(io.Discard, resp.Reader); err != nil {
		t.Fatal(err)
	}
}

// Daemon returns a connected layerlab client and the raw SDK client. It
// skips the test unless the daemon tests are on (Required), and fails it
// when they are on and no daemon answers.
func Daemon(t testing.TB) (*docker.Client, *client.Client) {
	t.Helper()
	if !Required() {
		t.Skip("a daemon test: LAYERLAB_REQUIRE_DOCKER=1 runs it against DOCKER_HOST (one package at a time: go test -p 1)")
	}
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatalf("docker client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := cli.Connect(ctx); err != nil {
		msg := fmt.Sprintf("NO DOCKER DAEMON: integration test %s cannot run: %v", t.Name(), err)
		if Required() {
			t.Fatal(msg + " (required: CI or LAYERLAB_REQUIRE_DOCKER=1)")
		}
		fmt.Fprintln(os.Stderr, "SKIP "+msg)
		t.Skip(msg)
	}
	t.Cleanup(func() { cli.Close() })
	CleanupOwned(t, cli)
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	api.NegotiateAPIVersion(ctx)
	t.Cleanup(func() { api.Close() })
	return cli, api
}

// Registry is an in-process registry on 127.0.0.1 that the daemon pulls from
// as it would from Docker Hub (127.0.0.0/8 is an insecure registry by default).
type Registry struct {
	Host  string // 127.0.0.1:PORT, for --registry-mirror
	Nonce string // makes this registry's images unique to the test run
	// Handler serves it: a classroom's engines are served it inside their
	// network namespaces (engines.Rootless.Registry).
	Handler http.Handler
	srv     *httptest.Server
	slow    atomic.Int64 // each blob download waits this long (ns)
}

// SlowBlobs makes every layer download wait d first: a pull that takes a
// while, so that something can happen in the middle of it.
func (r *Registry) SlowBlobs(d time.Duration) { r.slow.Store(int64(d)) }

// StartRegistry serves an empty registry until the test ends.
func StartRegistry(t testing.TB) *Registry {
	t.Helper()
	r := &Registry{}
	reg := mirror.Handler("")
	r.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if d := time.Duration(r.slow.Load()); d > 0 && req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/blobs/") {
			select {
			case <-time.After(d):
			case <-req.Context().Done():
				return
			}
		}
		reg.ServeHTTP(w, req)
	})
	srv := httptest.NewServer(r.Handler)
	t.Cleanup(srv.Close)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	r.Host, r.Nonce, r.srv = strings.TrimPrefix(srv.URL, "http://"), hex.EncodeToString(b), srv
	return r
}

// Image is a Dockerfile to build and the Docker Hub style names to publish it under.
type Image struct {
	Dockerfile string
	Files      map[string][]byte
	Names      []string // e.g. library/busybox:latest
}

// BaseDockerfile is the runnable busybox image the lessons use, FROM scratch.
// NONCE is replaced so each run's top layer is new to the daemon.
const BaseDockerfile = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /etc /tmp /root && echo 'Welcome to the layerlab busybox' > /etc/motd && echo NONCE > /etc/layerlab-image"]
ENV PATH=/bin
CMD ["sh"]
`

// PythonDockerfile stands in for python:3.6.0-slim: the busybox base plus one
// layer, so it shares the base's layers as real images share Debian's.
const PythonDockerfile = `FROM BASE
RUN mkdir -p /usr/local/bin && printf '#!/bin/sh\necho "Python 3.6.0 (layerlab stand-in)"\n' > /usr/local/bin/python3 && chmod +x /usr/local/bin/python3 && ln -s python3 /usr/local/bin/python
ENV LANG=C.UTF-8 PYTHON_VERSION=3.6.0
CMD ["python3"]
`

var busyboxOnce struct {
	sync.Once
	data []byte
	err  error
}

// Busybox returns the static busybox binary (Debian's busybox-static).
func Busybox(t testing.TB) []byte {
	t.Helper()
	busyboxOnce.Do(func() {
		for _, p := range []string{"/bin/busybox", "/usr/bin/busybox"} {
			if b, err := os.ReadFile(p); err == nil {
				busyboxOnce.data = b
				return
			}
		}
		busyboxOnce.err = fmt.Errorf("no /bin/busybox: install busybox-static")
	})
	if busyboxOnce.err != nil {
		if Required() {
			t.Fatal(busyboxOnce.err)
		}
		t.Skip(busyboxOnce.err)
	}
	return busyboxOnce.data
}

// Context makes a build context tar of a Dockerfile and files.
func Context(dockerfile string, files map[string][]byte) io.Reader {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, data []byte, mode int64) {
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(data)), ModTime: time.Unix(1700000000, 0), Typeflag: tar.TypeReg})
		_, _ = tw.Write(data)
	}
	add("Dockerfile", []byte(dockerfile), 0o644)
	for name, data := range files {
		add(name, data, 0o755)
	}
	_ = tw.Close()
	return &buf
}

// Build builds a Dockerfile with the legacy builder, labelled as a test image
// of layerlab's, and returns the image id. The tag is removed when the test ends.
func Build(t testing.TB, api *client.Client, tag, dockerfile string, files map[string][]byte) string {
	t.Helper()
	ctx := context.Background()
	resp, err := api.ImageBuild(ctx, Context(dockerfile, files), build.ImageBuildOptions{
		Version: build.BuilderV1, Tags: []string{tag}, Remove: true, ForceRemove: true,
		Labels: map[string]string{LabelTest: RunID},
	})
	if err != nil {
		t.Fatalf("build %s: %v", tag, err)
	}
	defer resp.Body.Close()
	var out strings.Builder
	dec := json.NewDecoder(resp.Body)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err != nil {
			if err == io.EOF {
				break
			}
			t.Fatalf("build %s: %v", tag, err)
		}
		if m.Error != nil {
			t.Fatalf("build %s: %s\n%s", tag, m.Error.Message, out.String())
		}
		out.WriteString(m.Stream)
	}
	insp, err := api.ImageInspect(ctx, tag)
	if err != nil {
		t.Fatalf("build %s: %v\n%s", tag, err, out.String())
	}
	t.Cleanup(func() { RemoveIfOwned(api, tag) })
	return insp.ID
}

// RemoveIfOwned removes ref only when it carries layerlab's or the tests'
// label: tests clean up their own images and nothing else.
func RemoveIfOwned(api *client.Client, ref string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	insp, err := api.ImageInspect(ctx, ref)
	if err != nil || insp.Config == nil {
		return
	}
	if l := insp.Config.Labels; l[docker.LabelOwned] != "true" && l[LabelTest] == "" {
		return
	}
	_, _ = api.ImageRemove(ctx, ref, image.RemoveOptions{PruneChildren: true})
}

// SweepLeftovers removes the untagged images that carry this run's test
// label: what a test's image became when a later test moved its tag
// (busybox:latest pulled again, a lesson's tag built again), in this package
// or one that ran before it in the same go test. Only this run's own images
// are touched: never a learner's untagged ones, nor those of another run on
// the same daemon (still in use, or theirs to sweep); test packages run one
// at a time (go test -p 1, as the README says), so none is still in use.
// Call it from TestMain, after m.Run.
func SweepLeftovers() {
	if !Required() {
		return // no daemon test ran
	}
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return
	}
	defer api.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := api.ImageList(ctx, image.ListOptions{Filters: filters.NewArgs(
		filters.Arg("dangling", "true"), filters.Arg("label", LabelTest+"="+RunID))})
	if err != nil {
		return
	}
	for _, im := range list {
		_, _ = api.ImageRemove(ctx, im.ID, image.RemoveOptions{PruneChildren: true})
	}
}

// PreserveTag frees a name such as busybox:latest on a developer's daemon
// for a test that pulls it: what it named is kept under a tag of the test's
// own while the test runs (a lesson's pull never moves a name it did not
// set, so the name must be free), and when the test ends the name points
// where it pointed before; if it named nothing, the test's image is removed.
func PreserveTag(t testing.TB, api *client.Client, ref string) {
	t.Helper()
	ctx := context.Background()
	before, err := api.ImageInspect(ctx, ref)
	existed := err == nil
	backup := ""
	if existed {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		backup = "layerlab-test-preserved:" + hex.EncodeToString(b)
		if err := api.ImageTag(ctx, before.ID, backup); err != nil {
			t.Fatalf("keep %s: %v", ref, err)
		}
		if _, err := api.ImageRemove(ctx, ref, image.RemoveOptions{}); err != nil {
			t.Fatalf("free the name %s: %v", ref, err)
		}
	}
	t.Cleanup(func() {
		if !existed {
			RemoveIfOwned(api, ref)
			return
		}
		now, err := api.ImageInspect(ctx, ref)
		_ = api.ImageTag(ctx, before.ID, ref)
		_, _ = api.ImageRemove(ctx, backup, image.RemoveOptions{})
		if err == nil && now.ID != before.ID {
			// The test's image is now untagged: remove it if it is the tests' own.
			RemoveIfOwned(api, now.ID)
		}
	})
}

// Push publishes a local image under name (library/busybox:latest) in the registry.
func (r *Registry) Push(t testing.TB, api *client.Client, local, name string) {
	t.Helper()
	ctx := context.Background()
	target := r.Host + "/" + name
	if err := api.ImageTag(ctx, local, target); err != nil {
		t.Fatalf("tag %s: %v", target, err)
	}
	defer api.ImageRemove(ctx, target, image.RemoveOptions{}) //nolint:errcheck // untag only
	body, err := api.ImagePush(ctx, target, image.PushOptions{RegistryAuth: "e30="})
	if err != nil {
		t.Fatalf("push %s: %v", target, err)
	}
	defer body.Close()
	dec := json.NewDecoder(body)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err != nil {
			if err == io.EOF {
				return
			}
			t.Fatalf("push %s: %v", target, err)
		}
		if m.Error != nil {
			t.Fatalf("push %s: %s", target, m.Error.Message)
		}
	}
}

// LessonImages builds the busybox base and the python stand-in, publishes them
// as Docker Hub would name them (busybox, busybox:latest, python:3.6.0-slim,
// python:latest), then deletes the local copies so that a pull really downloads.
func (r *Registry) LessonImages(t testing.TB, api *client.Client) {
	t.Helper()
	files := map[string][]byte{"busybox": Busybox(t)}
	baseTag := "layerlab-test/base:" + r.Nonce
	Build(t, api, baseTag, strings.ReplaceAll(BaseDockerfile, "NONCE", r.Nonce), files)
	pyTag := "layerlab-test/python:" + r.Nonce
	Build(t, api, pyTag, strings.ReplaceAll(PythonDockerfile, "BASE", baseTag), nil)
	r.Push(t, api, baseTag, "library/busybox:latest")
	r.Push(t, api, baseTag, "library/busybox:1.36")
	r.Push(t, api, pyTag, "library/python:3.6.0-slim")
	r.Push(t, api, pyTag, "library/python:latest")
	RemoveIfOwned(api, pyTag)
	RemoveIfOwned(api, baseTag)
}

// PublishLayered builds an image of the busybox base and n more layers of
// size bytes of random data each, publishes it under name
// (library/layered:latest) and deletes the local copy: a pull of n+1 layers.
func (r *Registry) PublishLayered(t testing.TB, api *client.Client, name string, n, size int) {
	t.Helper()
	base := "layerlab-test/layered-base:" + r.Nonce
	Build(t, api, base, strings.ReplaceAll(BaseDockerfile, "NONCE", r.Nonce+"-layered"), map[string][]byte{"busybox": Busybox(t)})
	df := "FROM " + base + "\n"
	for i := range n {
		df += fmt.Sprintf("RUN head -c %d /dev/urandom > /data%d\n", size, i)
	}
	tag := "layerlab-test/layered:" + r.Nonce
	Build(t, api, tag, df, nil)
	r.Push(t, api, tag, name)
	RemoveIfOwned(api, tag)
	RemoveIfOwned(api, base)
}

// Publish builds the busybox base (new to the daemon) and publishes it under
// names (library/thing:latest), then deletes the local copy.
func (r *Registry) Publish(t testing.TB, api *client.Client, names ...string) {
	t.Helper()
	tag := "layerlab-test/publish:" + r.Nonce
	Build(t, api, tag, strings.ReplaceAll(BaseDockerfile, "NONCE", r.Nonce+"-publish"), map[string][]byte{"busybox": Busybox(t)})
	for _, n := range names {
		r.Push(t, api, tag, n)
	}
	RemoveIfOwned(api, tag)
}

// API returns a raw SDK client for test assertions and clean-up.
func API(t testing.TB) *client.Client {
	t.Helper()
	api, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// UserContainer makes a container the way a learner would, without layerlab's
// label, and removes it when the test ends.
func UserContainer(t testing.TB, api *client.Client, image, name string) string {
	t.Helper()
	ctx := context.Background()
	resp, err := api.ContainerCreate(ctx, &container.Config{Image: image, Tty: true, OpenStdin: true}, nil, nil, nil, name)
	if err != nil {
		t.Fatalf("user container: %v", err)
	}
	t.Cleanup(func() {
		_ = api.ContainerRemove(context.Background(), resp.ID, container.RemoveOptions{Force: true})
	})
	return resp.ID
}

// ContainerdStore reports whether the daemon keeps images in the containerd
// image store (current engines) rather than a graph driver (Docker 20.10).
func ContainerdStore(t testing.TB, api *client.Client) bool {
	t.Helper()
	info, err := api.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range info.DriverStatus {
		if len(kv) == 2 && kv[0] == "driver-type" && strings.Contains(kv[1], "snapshotter") {
			return true
		}
	}
	return false
}

// CleanupOwned removes, when the test ends, everything cli's ledger says
// layerlab made through it (its containers, tags and images), the way
// `layerlab cleanup --yes` would: a test's containers never outlive it, and
// tests never sweep what they did not make. Register it right after making
// the client; a ledger swapped in later (UseLedger) is the one used.
func CleanupOwned(t testing.TB, cli *docker.Client) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if p, err := cli.PlanCleanup(ctx, ""); err == nil {
			cli.Cleanup(ctx, p, nil)
		}
	})
}

// ContainerIDs are the containers on the daemon now (only layerlab's
// labelled ones when owned), so that a test judges only the ones that
// appeared since a moment (MadeSince), never a count of the daemon's.
func ContainerIDs(t testing.TB, api *client.Client, owned bool) map[string]bool {
	t.Helper()
	o := container.ListOptions{All: true}
	if owned {
		o.Filters = filters.NewArgs(filters.Arg("label", docker.LabelOwned))
	}
	cs, err := api.ContainerList(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.ID] = true
	}
	return ids
}

// MadeSince are the containers in now that were not in before, short ids.
func MadeSince(before, now map[string]bool) []string {
	var ids []string
	for id := range now {
		if !before[id] {
			ids = append(ids, docker.ShortID(id))
		}
	}
	return ids
}
