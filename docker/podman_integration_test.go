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
