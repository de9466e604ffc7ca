package docker_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// lessonBase pulls the busybox lesson image through a test registry.
func lessonBase(t *testing.T) (*docker.Client, string) {
	t.Helper()
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	ref := "busybox:1.36"
	dockertest.PreserveTag(t, api, ref)
	r, _ := docker.ParseRef(ref)
	if _, err := cli.Pull(context.Background(), r, docker.PullOptions{Mirror: reg.Host}, nil); err != nil {
		t.Fatal(err)
	}
	return cli, ref
}

func run(t *testing.T, cli *docker.Client, image, name string) docker.Container {
	t.Helper()
	ctx := context.Background()
	c, err := cli.RunContainer(ctx, image, name, "test-commit")
	if err != nil {
		t.Fatalf("run %s: %v", name, err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), c.ID) })
	return c
}

func uniq(prefix string) string { return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()%1e9) }

func TestCommitAddsExactlyOneLayer(t *testing.T) {
	cli, base := lessonBase(t)
	ctx := context.Background()
	c := run(t, cli, base, uniq("layerlab-test-commit"))
	for _, cmd := range []string{"echo hi > /hello.txt", "mkdir /app", "rm /etc/motd", "echo more >> /etc/layerlab-image"} {
		res, err := cli.Exec(ctx, c.ID, cmd)
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("%s: %v %+v", cmd, err, res)
		}
	}
	w, err := cli.Writable(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, ch := range w.Changes {
		got[ch.Path] = ch.Kind.Letter()
	}
	for path, want := range map[string]string{"/hello.txt": "A", "/app": "A", "/etc/motd": "D", "/etc/layerlab-image": "C", "/etc": "C"} {
		if got[path] != want {
			t.Errorf("diff %s = %q, want %q (all: %v)", path, got[path], want, got)
		}
	}
	if w.Size <= 0 {
		t.Errorf("writable size %d", w.Size)
	}

	tag := uniq("pyubuntu") + ":init"
	ref, err := docker.ParseRef(tag)
	if err != nil {
		t.Fatal(err)
	}
	res, err := cli.Commit(ctx, c.ID, ref, "test-commit")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dockertest.RemoveIfOwned(dockertest.API(t), tag) })
	baseSt, _ := cli.Stack(ctx, base)
	newSt, err := cli.Stack(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	b, n := baseSt.FSLayers(), newSt.FSLayers()
	if len(n) != len(b)+1 {
		t.Fatalf("new image has %d layers, base %d", len(n), len(b))
	}
	for i := range b {
		if b[i].DiffID != n[i].DiffID {
			t.Errorf("layer %d not shared: %s vs %s", i, b[i].DiffID, n[i].DiffID)
		}
	}
	top := newSt.Layers[len(newSt.Layers)-1]
	// Podman's history entry says "FROM base", not the commit's comment.
	if top.Meta || !strings.Contains(top.Comment, "layerlab") && !cli.IsPodman() {
		t.Errorf("top history entry is not the commit: %+v", top)
	}
	if newSt.ID != res.ImageID || newSt.Config.Labels[docker.LabelOwned] != "true" {
		t.Errorf("id %s vs %s, labels %v", newSt.ID, res.ImageID, newSt.Config.Labels)
	}
	// The learner's file is in the image: a container from it sees it.
	c2 := run(t, cli, tag, uniq("layerlab-test-verify"))
	out, err := cli.Exec(ctx, c2.ID, "cat /hello.txt; test -e /etc/motd && echo motd-present || echo motd-gone")
	if err != nil || out.Stdout != "hi\nmotd-gone\n" {
		t.Errorf("in the committed image: %q %v", out.Stdout, err)
	}
}

func TestTwoContainersShareTheImage(t *testing.T) {
	cli, base := lessonBase(t)
	ctx := context.Background()
	a := run(t, cli, base, uniq("layerlab-test-a"))
	b := run(t, cli, base, uniq("layerlab-test-b"))
	if a.ImageID != b.ImageID {
		t.Fatalf("different images %s %s", a.ImageID, b.ImageID)
	}
	if _, err := cli.Exec(ctx, a.ID, "echo only-in-a > /a.txt"); err != nil {
		t.Fatal(err)
	}
	wa, _ := cli.Writable(ctx, a.ID)
	wb, _ := cli.Writable(ctx, b.ID)
	has := func(w docker.WritableLayer, p string) bool {
		for _, c := range w.Changes {
			if c.Path == p {
				return true
			}
		}
		return false
	}
	if !has(wa, "/a.txt") || has(wb, "/a.txt") {
		t.Errorf("writable layers are not separate: a=%v b=%v", wa.Changes, wb.Changes)
	}
}

func TestContainerErrors(t *testing.T) {
	cli, base := lessonBase(t)
	ctx := context.Background()
	c := run(t, cli, base, uniq("layerlab-test-err"))
	res, err := cli.Exec(ctx, c.ID, "ls /nonexistent")
	if err != nil || res.ExitCode == 0 || !strings.Contains(res.Stderr, "nonexistent") {
		t.Errorf("failing command: %+v %v", res, err)
	}
	if res, err := cli.Exec(ctx, c.ID, "echo still-usable"); err != nil || res.Stdout != "still-usable\n" {
		t.Errorf("container unusable after a failure: %+v %v", res, err)
	}
	ref, _ := docker.ParseRef("layerlab-test-gone:1")
	if _, err := cli.Commit(ctx, "layerlab-no-such-container", ref, "t"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("commit of a missing container: %v", err)
	}
	if _, err := cli.RunContainer(ctx, "layerlab-no-such-image:1", uniq("layerlab-test-x"), "t"); !errors.Is(err, docker.ErrNotFound) {
		t.Errorf("run of a missing image: %v", err)
	}
	// An image without a shell: exec explains instead of failing obscurely.
	_, api := dockertest.Daemon(t)
	noShell := uniq("layerlab-test-noshell") + ":1"
	dockertest.Build(t, api, noShell, "FROM "+base+"\nRUN rm /bin/sh\nCMD [\"/bin/sleep\", \"3600\"]\n", nil)
	ns := run(t, cli, noShell, uniq("layerlab-test-ns"))
	if _, err := cli.Exec(ctx, ns.ID, "echo hi"); !errors.Is(err, docker.ErrNoShell) {
		t.Errorf("no shell: %v", err)
	}
}

func TestRemoveContainerRefusesUnlabelled(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	_ = api
	ctx := context.Background()
	// A "learner's own" container: made without layerlab's label.
	_, base := lessonBase(t)
	id := dockertest.UserContainer(t, api, base, uniq("learner-own"))
	if err := cli.RemoveContainer(ctx, id); !errors.Is(err, docker.ErrNotOwned) {
		t.Fatalf("got %v", err)
	}
	if _, err := api.ContainerInspect(ctx, id); err != nil {
		t.Fatalf("the learner's container is gone: %v", err)
	}
}

// TestFilesOfEachLayer: the files each layer of a committed image holds, as
// the daemon exports them: the base's busybox and its links, and the
// commit's layer with exactly what the container changed.
func TestFilesOfEachLayer(t *testing.T) {
	cli, base := lessonBase(t)
	ctx := context.Background()
	c := run(t, cli, base, uniq("layerlab-test-files"))
	if res, err := cli.Exec(ctx, c.ID, "echo hi > /hello.txt && rm /etc/motd && echo more >> /etc/layerlab-image"); err != nil || res.ExitCode != 0 {
		t.Fatalf("%v %+v", err, res)
	}
	ref := tagRef(t, "layerlab-test/files:"+uniq("t"))
	res, err := cli.Commit(ctx, c.ID, ref, "test-commit")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = cli.RemoveImage(context.Background(), ref.String(), false) })
	layers, err := cli.Files(ctx, ref.String())
	if err != nil {
		t.Fatal(err)
	}
	st, err := cli.Stack(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	fs := st.FSLayers()
	if len(layers) != len(fs) {
		t.Fatalf("%d layers listed, the image has %d", len(layers), len(fs))
	}
	find := func(lf docker.LayerFiles, p string) *docker.LayerFile {
		for i := range lf.Files {
			if lf.Files[i].Path == p {
				return &lf.Files[i]
			}
		}
		return nil
	}
	for i := range layers {
		if layers[i].DiffID != fs[i].DiffID {
			t.Errorf("layer %d is %s, the image's %s", i, layers[i].DiffID, fs[i].DiffID)
		}
	}
	if f := find(layers[0], "/bin/busybox"); f == nil || f.Kind != docker.Added || f.Size < 100_000 {
		t.Errorf("the base layer's busybox: %+v", f)
	}
	if f := find(layers[1], "/bin/ls"); f == nil || f.Link == "" {
		t.Errorf("busybox --install's links: %+v", f)
	}
	top := layers[len(layers)-1]
	var got []string
	for _, f := range top.Files {
		if !f.Dir {
			got = append(got, f.Kind.Letter()+" "+f.Path)
		}
	}
	if strings.Join(got, ", ") != "C /etc/layerlab-image, D /etc/motd, A /hello.txt" {
		t.Errorf("the commit's layer holds %v", got)
	}
}

// TestTheContainersLessonsSuggestionsWork: what the containers lesson tells a
// learner to try does what it says in busybox: `rm /bin/vi` works and
// `docker diff` marks it D; a command that fails comes back with its exit code
// (the card shows the step failed).
func TestTheContainersLessonsSuggestionsWork(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	ctx := context.Background()
	c := run(t, cli, base, uniq("layerlab-test-suggest"))
	if res, err := cli.Exec(ctx, c.ID, "rm /bin/vi"); err != nil || res.ExitCode != 0 {
		t.Fatalf("rm /bin/vi: %v %+v", err, res)
	}
	w, err := cli.Writable(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ch := range w.Changes {
		found = found || ch.Path == "/bin/vi" && ch.Kind == docker.Deleted
	}
	if !found {
		t.Errorf("docker diff after rm /bin/vi: %+v", w.Changes)
	}
	if res, err := cli.Exec(ctx, c.ID, "rm /no/such/file"); err != nil || res.ExitCode != 1 || !strings.Contains(res.Stderr, "can't remove") {
		t.Errorf("rm of a missing file: %v %+v", err, res)
	}
}

// TestCommitOfAnUnchangedContainerSaysSo: a commit with nothing changed adds
// an empty layer (0 B) or, on some engines, none; the result says which, so
// the card never claims "+1 new layer" for it. A changed container's commit
// adds one layer with bytes in it.
func TestCommitOfAnUnchangedContainerSaysSo(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "every container's layer holds Podman's files (/etc/mtab, /run/.containerenv): a commit always adds a layer of some bytes")
	withLedger(t, cli)
	ctx := context.Background()
	c := run(t, cli, base, uniq("layerlab-test-unchanged"))
	same := commitAs(t, cli, c.ID, uniq("layerlab-test-unchanged")+":same")
	if !same.Empty {
		t.Errorf("unchanged: %+v", same)
	}
	if _, err := cli.Exec(ctx, c.ID, "echo hi > /hello.txt"); err != nil {
		t.Fatal(err)
	}
	changed := commitAs(t, cli, c.ID, uniq("layerlab-test-unchanged")+":changed")
	if changed.Empty || changed.NoLayer {
		t.Errorf("changed: %+v", changed)
	}
	t.Logf("unchanged: empty %v, no layer %v", same.Empty, same.NoLayer)
}

func commitAs(t *testing.T, cli *docker.Client, ctr, ref string) docker.CommitResult {
	t.Helper()
	r, _ := docker.ParseRef(ref)
	res, err := cli.Commit(context.Background(), ctr, r, "test-commit")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = cli.RemoveImage(context.Background(), res.ImageID, true) })
	return res
}

// TestTheWritableLayerSizeAsTheLessonSays: the containers lesson says a
// container's writable layer grows when it writes, that Docker 20.10 counts
// the bytes written and the containerd image store the disk blocks its files
// take (a few kB for a few bytes, some before anything is written).
func TestTheWritableLayerSizeAsTheLessonSays(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "the writable layer's size counts Podman's /etc/mtab link (12 bytes) from the start")
	ctx := context.Background()
	eng, err := cli.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := run(t, cli, base, uniq("layerlab-test-size"))
	before, err := cli.Writable(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := cli.Exec(ctx, c.ID, "echo hi > /hello.txt"); err != nil || res.ExitCode != 0 {
		t.Fatalf("%v %+v", err, res)
	}
	after, err := cli.Writable(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("containerd store %v: %d bytes before, %d after writing 3", eng.ContainerdStore, before.Size, after.Size)
	if after.Size <= before.Size {
		t.Errorf("the writable layer did not grow: %d → %d", before.Size, after.Size)
	}
	if !eng.ContainerdStore && (before.Size != 0 || after.Size != 3) {
		t.Errorf("overlay2 counts bytes: want 0 → 3, got %d → %d", before.Size, after.Size)
	}
	if eng.ContainerdStore && (after.Size < 1024 || after.Size%512 != 0) {
		t.Errorf("the containerd store counts blocks: %d bytes for 3 written", after.Size)
	}
}
