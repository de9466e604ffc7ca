package docker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestALearnersCommitNamesItsImage: a commit of the learner's (their
// terminal: AsLearner) is seen as naming its image, as the commit exercise
// needs: Docker sends an image "tag" event; Podman only a container
// "commit", which layerlab reads as Docker's. The image's id has its
// sha256: and its name the CLI's form on every engine; the container's
// changes are the learner's alone (on Podman, not its /etc/mtab nor
// /run/.containerenv).
func TestALearnersCommitNamesItsImage(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	withBusybox(t, cli, api)
	learner := cli.AsLearner()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	since, err := cli.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := learner.Run(ctx, docker.RunOptions{Image: "busybox:latest", Name: uniq("layerlab-test-learner-commit"), Cmd: []string{"sh", "-c", "echo hi > /hello.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = learner.RemoveContainer(context.Background(), ct.ID) })
	var w docker.WritableLayer
	for i := 0; i < 50 && len(w.Changes) == 0; i++ {
		time.Sleep(200 * time.Millisecond)
		if w, err = cli.Writable(ctx, ct.ID); err != nil {
			t.Fatal(err)
		}
	}
	if len(w.Changes) != 1 || w.Changes[0].Path != "/hello.txt" {
		t.Errorf("the container's changes: %v, want only A /hello.txt", w.Changes)
	}
	ref := tagRef(t, uniq("layerlab-test-learner-commit")+":mine")
	res, err := learner.Commit(ctx, ct.ID, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), ref.Full(), image.RemoveOptions{}) })
	if len(res.ImageID) != 71 {
		t.Errorf("commit's id %q, want sha256:…", res.ImageID)
	}
	time.Sleep(time.Second)
	until, _ := cli.Clock(ctx)
	evs, err := cli.EventsBetween(ctx, since, until.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	named := false
	for _, ev := range evs {
		if ev.Type == "image" && ev.Action == "tag" && docker.Familiar(ev.Name) == ref.String() {
			named = true
		}
	}
	if !named {
		t.Errorf("no image tag event names %s: %+v", ref, evs)
	}
	imgs, err := cli.Images(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, im := range imgs {
		if im.Ref() == ref.String() && im.ID == res.ImageID {
			found = true
		}
	}
	if !found {
		t.Errorf("docker images has no %s %s", ref, res.ImageID)
	}
}

// TestDockerCLIsCommitFailsOnPodman: the commit lesson says that on Podman
// Docker's CLI cannot commit ("Decode(): EOF"). The CLI's request (POST
// /commit with no body: no config) commits on Docker and fails so on
// Podman, where layerlab's own (with a config) commits.
func TestDockerCLIsCommitFailsOnPodman(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	withBusybox(t, cli, api)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	learner := cli.AsLearner()
	ct, err := learner.Run(ctx, docker.RunOptions{Image: "busybox:latest", Name: uniq("layerlab-test-cli-commit"), Cmd: []string{"sh", "-c", "echo hi > /mine.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = learner.RemoveContainer(context.Background(), ct.ID) })
	ref := uniq("layerlab-test-cli-commit") + ":mine"
	_, err = api.ContainerCommit(ctx, ct.ID, container.CommitOptions{Reference: ref})
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), ref, image.RemoveOptions{}) })
	if cli.IsPodman() {
		if err == nil || !strings.Contains(err.Error(), "Decode(): EOF") {
			t.Errorf("the CLI's commit on Podman: %v, want Decode(): EOF", err)
		}
		if _, err := learner.Commit(ctx, ct.ID, tagRef(t, ref), ""); err != nil {
			t.Errorf("a commit with a config on Podman: %v", err)
		}
	} else if err != nil {
		t.Errorf("the CLI's commit on Docker: %v", err)
	}
}

// TestWhatPodmanAddsAsTheLessonsSay (Podman only): the containers and
// commit lessons say that on Podman a fresh container's writable layer is
// 12 B, Podman's /etc/mtab link, which Podman's docker diff lists as
// "C /etc" and layerlab leaves out; that a commit's settings add ENV
// TERM=xterm (run -t) and ENV container=podman, its layer Podman's files
// beside the learner's; and the removal lesson that Podman's docker rmi
// answers one Deleted line, the image's own.
func TestWhatPodmanAddsAsTheLessonsSay(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	if !cli.IsPodman() {
		t.Skip("Podman only: what Podman adds to a container")
	}
	withBusybox(t, cli, api)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ct, err := cli.RunContainer(ctx, "busybox:latest", uniq("layerlab-test-podman-adds"), "commit")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), ct.ID) })
	w, err := cli.Writable(ctx, ct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size != 12 || len(w.Changes) != 0 {
		t.Errorf("a fresh container on Podman: %d B, changes %v; want 12 B (its /etc/mtab), none of the learner's", w.Size, w.Changes)
	}
	raw, err := api.ContainerDiff(ctx, ct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 1 || raw[0].Path != "/etc" || raw[0].Kind != container.ChangeModify {
		t.Errorf("Podman's own docker diff of a fresh container: %+v, want C /etc", raw)
	}
	if _, err := cli.Exec(ctx, ct.ID, "echo hi > /hello.txt"); err != nil {
		t.Fatal(err)
	}
	ref := tagRef(t, uniq("layerlab-test-podman-adds")+":v1")
	res, err := cli.Commit(ctx, ct.ID, ref, "commit")
	if err != nil {
		t.Fatal(err)
	}
	st, err := cli.Stack(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	env := strings.Join(st.Config.Env, " ")
	if !strings.Contains(env, "TERM=xterm") || !strings.Contains(env, "container=podman") {
		t.Errorf("the commit's ENV on Podman: %s", env)
	}
	top := st.Layers[len(st.Layers)-1]
	if top.Size <= 3 {
		t.Errorf("the commit's layer: %d B, want the 3 B of /hello.txt and Podman's files", top.Size)
	}
	del, err := api.ImageRemove(ctx, ref.Full(), image.RemoveOptions{PruneChildren: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range del {
		if d.Deleted != "" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Podman's rmi answer: %+v, want one Deleted line", del)
	}
}

// TestALearnersBuildFromTheCacheNamesItsImage (Podman only: Docker sends
// its own tag events): Podman's image "build" event names only the image's
// id, and a build all from the cache is the very image an earlier build
// made; layerlab reads the event as Docker's "tag" of the image's names,
// dated when the learner built, so the build exercise sees the learner's
// build after the lesson's.
func TestALearnersBuildFromTheCacheNamesItsImage(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	if !cli.IsPodman() {
		t.Skip("Podman only: Docker sends a build's tag events itself")
	}
	withBusybox(t, cli, api)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := workspace(t, map[string]string{"Dockerfile": "FROM busybox:latest\nRUN echo " + uniq("cache") + " > /c.txt\nCMD [\"cat\", \"/c.txt\"]\n"})
	ref := tagRef(t, uniq("layerlab-test-podman-build")+":init")
	first, err := cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{ref}, Lesson: "build"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), ref.Full(), image.RemoveOptions{}) })
	time.Sleep(1100 * time.Millisecond)
	since, err := cli.Clock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := cli.AsLearner().Build(ctx, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{ref}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.ImageID != first.ImageID {
		t.Logf("the cache made another image: %s, %s", first.ImageID, again.ImageID)
	}
	time.Sleep(time.Second)
	until, _ := cli.Clock(ctx)
	evs, err := cli.EventsBetween(ctx, since, until.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	named := false
	for _, ev := range evs {
		if ev.Type == "image" && ev.Action == "tag" && ev.Name == ref.String() && !ev.Time.Before(since) {
			named = true
		}
	}
	if !named {
		t.Errorf("no image tag event names %s since the learner's build: %+v", ref, evs)
	}
}
