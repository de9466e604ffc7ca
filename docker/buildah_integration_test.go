package docker_test

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestABuildRunsOnTheEnginesBuilder: a build asked with BuildKit runs with
// what the engine has: BuildKit on Docker, Podman's builder on Podman (no
// BuildKit there: its /_ping names no Builder-Version, /session is 404),
// the context sent as the request's body; every step read (Podman: its
// STEP lines, each image the step made, the cache), the images recorded by
// their full ids, so that cleanup removes what layerlab built and nothing
// else (the learner's identical build of the same file, made before, stays).
func TestABuildRunsOnTheEnginesBuilder(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	withBusybox(t, cli, api)
	withLedger(t, cli)
	ctx := context.Background()
	eng, err := cli.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src := "FROM busybox\nCOPY hello.txt /hello.txt\nRUN echo built > /built.txt\nENV WHO=layerlab\nCMD [\"cat\", \"/hello.txt\"]\n"
	lesson := uniq("test-engines-builder")
	dir := workspace(t, map[string]string{"Dockerfile": src, "hello.txt": lesson + "\n"})
	tag := tagRef(t, uniq("layerlab-test-builder")+":1")
	res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{tag}, Lesson: lesson, BuildKit: true})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Progress
	if p.Buildah != eng.Podman || p.BuildKit == eng.Podman {
		t.Fatalf("podman %v: progress buildah %v buildkit %v", eng.Podman, p.Buildah, p.BuildKit)
	}
	if !cli.Ledger().HasImage(cli.Endpoint().Host, res.ImageID) {
		t.Errorf("the build's image %s is not recorded", res.ImageID)
	}
	if eng.Podman {
		if len(p.Steps) != 5 {
			t.Fatalf("steps %+v", p.Steps)
		}
		for i, s := range p.Steps {
			if s.Index != i+1 || s.Total != 5 || !s.Done || s.Cached {
				t.Errorf("step %d: %+v", i, s)
			}
			if i == 0 {
				continue // FROM makes no image
			}
			if len(s.ImageID) != 64 {
				t.Errorf("step %d: id %q, not the full one", i, s.ImageID)
			}
			if !cli.Ledger().HasImage(cli.Endpoint().Host, s.ImageID) {
				t.Errorf("step %d: %s not recorded", i, s.ImageID)
			}
		}
		if got := strings.TrimPrefix(res.ImageID, "sha256:"); p.Steps[4].ImageID != got {
			t.Errorf("the last step's image %s is not the result %s", p.Steps[4].ImageID, got)
		}
		if !slices.ContainsFunc(p.Printed, func(l string) bool { return strings.HasPrefix(l, "STEP 3/5: RUN") }) {
			t.Errorf("printed %q", p.Printed)
		}
	}
	// Again, under another tag: from the cache (Podman: every step but
	// FROM says "--> Using cache").
	tag2 := tagRef(t, uniq("layerlab-test-builder")+":2")
	res2, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{tag2}, Lesson: lesson, BuildKit: true})
	if err != nil {
		t.Fatal(err)
	}
	if res2.ImageID != res.ImageID {
		t.Errorf("rebuilt %s, was %s", res2.ImageID, res.ImageID)
	}
	if eng.Podman {
		for i, s := range res2.Progress.Steps {
			if s.Cached != (i > 0) {
				t.Errorf("rebuilt step %d: %+v", i, s)
			}
		}
	}
	// x: what the lesson built goes, its step images with it.
	plan, err := cli.PlanCleanup(ctx, lesson)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cli.Cleanup(ctx, plan, nil) {
		if r.Err != nil {
			t.Errorf("cleanup %s: %v", r.Item.Name, r.Err)
		}
	}
	ids := []string{res.ImageID}
	for _, s := range p.Steps[1:] {
		if eng.Podman {
			ids = append(ids, s.ImageID)
		}
	}
	for _, id := range ids {
		if _, err := api.ImageInspect(ctx, id); err == nil {
			t.Errorf("%s is still there after cleanup", id)
		}
	}
}

// TestALearnersBuildIsNotLayerlabsOnAnyBuilder: the learner built the file
// first (their own docker build); layerlab's build of the same file comes
// from the cache and records nothing of theirs, and cleanup of the lesson
// leaves their image.
func TestALearnersBuildIsNotLayerlabsOnAnyBuilder(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	withBusybox(t, cli, api)
	withLedger(t, cli)
	ctx := context.Background()
	lesson := uniq("test-learners-build")
	src := "FROM busybox\nRUN echo " + lesson + " > /who.txt\nCMD [\"sh\"]\n"
	dir := workspace(t, map[string]string{"Dockerfile": src})
	theirs := uniq("learner-built") + ":1"
	resp, err := api.ImageBuild(ctx, bytes.NewReader(dockerfileTar(t, src)), build.ImageBuildOptions{Tags: []string{theirs}, Remove: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	insp, err := api.ImageInspect(ctx, theirs)
	if err != nil {
		t.Fatalf("the learner's build: %v", err)
	}
	t.Cleanup(func() { _, _ = api.ImageRemove(context.Background(), theirs, image.RemoveOptions{}) })
	res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: lesson, BuildKit: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.ImageID != insp.ID {
		t.Logf("layerlab's build %s, the learner's %s", res.ImageID, insp.ID)
	}
	if res.ImageID == insp.ID && cli.Ledger().HasImage(cli.Endpoint().Host, insp.ID) {
		t.Errorf("the learner's image %s is recorded as layerlab's", insp.ID)
	}
	plan, err := cli.PlanCleanup(ctx, lesson)
	if err != nil {
		t.Fatal(err)
	}
	cli.Cleanup(ctx, plan, nil)
	if _, err := api.ImageInspect(ctx, theirs); err != nil {
		t.Errorf("cleanup removed the learner's image: %v", err)
	}
}

// dockerfileTar is a build context of a Dockerfile alone.
func dockerfileTar(t *testing.T, src string) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(src))}); err != nil {
		t.Fatal(err)
	}
	_, _ = tw.Write([]byte(src))
	_ = tw.Close()
	return b.Bytes()
}

// withBusybox puts the lessons' busybox:latest on the daemon for the test,
// pulled from a test registry as a lesson pulls it (a fresh engine, as CI's,
// has none); the tag's image before the test is put back after it.
func withBusybox(t *testing.T, cli *docker.Client, api *client.Client) {
	t.Helper()
	dockertest.PreserveTag(t, api, "busybox:latest")
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	r, _ := docker.ParseRef("busybox:latest")
	if _, err := cli.Pull(context.Background(), r, docker.PullOptions{Mirror: reg.Host}, nil); err != nil {
		t.Fatal(err)
	}
}
