package docker_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// limited checks that err is the client's KindLimit refusal of what of.
func limited(t *testing.T, what string, err error, of docker.LimitOf, most int) {
	t.Helper()
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindLimit || de.Of != of || de.Most != most || de.Have < most {
		t.Errorf("%s: got %v (kind %v), want a KindLimit refusal at %d", what, err, docker.KindOf(err), most)
	}
}

// TestLimitsRefuseOneMoreOnEveryCall: a client bounded to the containers
// its engine has refuses one more on every call that makes one (run,
// run --rm), and so does its learner's client (AsLearner, made before the
// bound was set); bounded to the images, every call that makes an image or
// a name (pull, tag, commit, build) is refused, with the counts; nothing
// was made. Without a bound, the same run starts.
func TestLimitsRefuseOneMoreOnEveryCall(t *testing.T) {
	cli, img := lessonBase(t)
	api := dockertest.API(t)
	dockertest.CleanupOwned(t, cli)
	ctx := context.Background()
	learner := cli.AsLearner()
	a := run(t, cli, img, uniq("layerlab-test-limit-a"))
	b, err := learner.Run(ctx, docker.RunOptions{Image: img, Name: uniq("layerlab-test-limit-b")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.ContainerRemove(context.Background(), b.ID, container.RemoveOptions{Force: true}) })
	count := func() int {
		list, err := api.ContainerList(ctx, container.ListOptions{All: true})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	n := count()
	cli.SetLimits(docker.Limits{Containers: n})
	if learner.Limits() != (docker.Limits{Containers: n}) {
		t.Errorf("the learner's client has %+v", learner.Limits())
	}
	_, err = cli.Run(ctx, docker.RunOptions{Image: img, Name: uniq("layerlab-test-limit-c"), Lesson: "test-limit"})
	limited(t, "run", err, docker.LimitContainers, n)
	_, err = learner.Run(ctx, docker.RunOptions{Image: img})
	limited(t, "the learner's run", err, docker.LimitContainers, n)
	_, err = cli.RunOnce(ctx, img, "test-limit")
	limited(t, "run --rm", err, docker.LimitContainers, n)
	if got := count(); got != n {
		t.Errorf("%d containers after the refusals, %d before", got, n)
	}

	imgs, err := cli.Images(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli.SetLimits(docker.Limits{Images: len(imgs)})
	to := tagRef(t, "layerlab-test/limit:"+uniq("t"))
	_, err = cli.Tag(ctx, img, to, "test-limit")
	limited(t, "tag", err, docker.LimitImages, len(imgs))
	_, err = learner.Pull(ctx, tagRef(t, img), docker.PullOptions{Mirror: "127.0.0.1:1"}, nil)
	limited(t, "pull", err, docker.LimitImages, len(imgs))
	_, err = cli.Commit(ctx, a.ID, to, "test-limit")
	limited(t, "commit", err, docker.LimitImages, len(imgs))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM "+img+"\nRUN echo hi > /x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Root: dir, Tags: []docker.Ref{to}, Lesson: "test-limit"}, nil)
	limited(t, "build", err, docker.LimitImages, len(imgs))
	if ok, _, _ := cli.Exists(ctx, to.Full()); ok {
		t.Errorf("a refused call made %s", to)
	}

	cli.SetLimits(docker.Limits{})
	c, err := cli.Run(ctx, docker.RunOptions{Image: img, Lesson: "test-limit"})
	if err != nil {
		t.Fatalf("without a bound: %v", err)
	}
	_ = cli.RemoveContainer(ctx, c.ID)
}
