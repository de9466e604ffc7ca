package docker_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/client"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// podmanOnly is a daemon test of what the lessons say of Podman's builder;
// it skips on Docker (the lessons' Docker claims have their own tests).
func podmanOnly(t *testing.T) (*docker.Client, *client.Client) {
	t.Helper()
	cli, api := dockertest.Daemon(t)
	eng, err := cli.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !eng.Podman {
		t.Skip("Podman's builder: this engine is Docker")
	}
	withLedger(t, cli)
	return cli, api
}

// lessonFolder is a copy of a lesson's workspace folder (assets/workspace).
func lessonFolder(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "assets", "workspace", name))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func podmanCached(p docker.BuildProgress) []bool {
	var c []bool
	for _, s := range p.Steps {
		c = append(c, s.Cached)
	}
	return c
}

func sameBools(a []bool, b ...bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTheBuildLessonOnPodman: what lesson 7 says of Podman. Every
// instruction is a numbered STEP (ENV, EXPOSE and CMD too) that commits an
// image; the image has one history entry per instruction and a layer only
// for COPY and RUN; a build again takes every step after FROM from the
// cache ("--> Using cache") and makes the same image; a changed RUN line
// runs again with what follows it; a failing RUN stops the build with its
// exit status, at its line, and what the steps before it made stays in the
// cache; a stage nothing uses is skipped; asking for the classic builder
// changes nothing there. Lesson 6: WORKDIR makes no layer there.
func TestTheBuildLessonOnPodman(t *testing.T) {
	cli, api := podmanOnly(t)
	withBusybox(t, cli, api) // the lesson's FROM busybox:latest
	ctx := context.Background()
	dir := lessonFolder(t, "build")
	lesson := uniq("test-podman-build")
	o := docker.BuildOptions{ContextDir: dir, Root: dir, Lesson: lesson, BuildKit: true}
	res, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Progress
	if !p.Buildah || len(p.Steps) != 8 || p.Steps[1].Instruction != "ENV GREETING=hello APP_DIR=/app" || p.Steps[5].Instruction != "EXPOSE 8080" {
		t.Fatalf("steps %+v", p.Steps)
	}
	for _, s := range p.Steps[1:] {
		if s.ImageID == "" { // (from the cache if an earlier run built it)
			t.Errorf("step %d/%d %s: no image", s.Index, s.Total, s.Instruction)
		}
	}
	base, err := api.ImageInspect(ctx, "busybox:latest")
	if err != nil {
		t.Fatal(err)
	}
	insp, err := api.ImageInspect(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(insp.RootFS.Layers) - len(base.RootFS.Layers); got != 2 {
		t.Errorf("%d layers over busybox's, want 2 (COPY, RUN)", got)
	}
	hb, _ := api.ImageHistory(ctx, base.ID)
	hi, _ := api.ImageHistory(ctx, insp.ID)
	if got := len(hi) - len(hb); got != 7 {
		t.Errorf("%d history entries over busybox's, want 7 (one per instruction)", got)
	}
	// Lesson 6: WORKDIR makes no layer on Podman, a 0-byte entry.
	for _, h := range hi {
		if strings.Contains(h.CreatedBy, "WORKDIR") && h.Size != 0 {
			t.Errorf("WORKDIR's entry: %d bytes", h.Size)
		}
	}
	// -t: the same image, every step after FROM from the cache.
	o.Tags = []docker.Ref{tagRef(t, uniq("layerlab-test-podman")+":init")}
	again, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	if again.ImageID != res.ImageID || !sameBools(podmanCached(again.Progress), false, true, true, true, true, true, true, true) {
		t.Errorf("again: %s (was %s), cached %v", again.ImageID, res.ImageID, podmanCached(again.Progress))
	}
	// A changed RUN line: it and what follows run again.
	src, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	changed := strings.Replace(string(src), "once, at build time", "changed", 1)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	ch, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBools(podmanCached(ch.Progress), false, true, true, true, false, false, false, false) {
		t.Errorf("after the change: cached %v", podmanCached(ch.Progress))
	}
	// The failing RUN: exit status 3, line 3; again, the step before it cached.
	ob := o
	ob.Tags, ob.Dockerfile = nil, "broken/Dockerfile"
	for i := range 2 {
		fres, err := built(t, cli, ob)
		var e *docker.Error
		if !errors.As(err, &e) || e.Kind != docker.KindBuildFailed || e.ExitCode != 3 || e.Line != 3 || e.File != "broken/Dockerfile" {
			t.Fatalf("broken build %d: %#v", i, err)
		}
		if i == 1 && !sameBools(podmanCached(fres.Progress), false, true, false) {
			t.Errorf("the broken build again: cached %v", podmanCached(fres.Progress))
		}
	}
	// Three stages: "unused" never runs; the image is busybox's layers and COPY's.
	om := o
	om.Tags, om.Dockerfile = []docker.Ref{tagRef(t, uniq("layerlab-test-podman")+":multi")}, "multi/Dockerfile"
	mres, err := built(t, cli, om)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range mres.Progress.Steps {
		if strings.Contains(s.Instruction, "unused") || strings.Contains(s.Instruction, "never.txt") {
			t.Errorf("the unused stage ran: %+v", s)
		}
	}
	if mi, err := api.ImageInspect(ctx, mres.ImageID); err != nil || len(mi.RootFS.Layers) != len(base.RootFS.Layers)+1 {
		t.Errorf("multi: %v layers %v", err, mi.RootFS.Layers)
	}
	// DOCKER_BUILDKIT=0: the same builder.
	oc := o
	oc.BuildKit, oc.Tags = false, nil
	cres, err := built(t, cli, oc)
	if err != nil || !cres.Progress.Buildah || cres.ImageID == "" {
		t.Errorf("classic on Podman: %v %+v", err, cres.Progress.Steps)
	}
}

// TestTheShrinkLessonOnPodman: what lesson 9 says of Podman: the deleting
// RUN's history entry is a couple of kB, not 0 B, and the 10 MB stay (about
// 12.5 MB against 2 MB in docker images, as on the classic store); the
// cache goes in Dockerfile order and by the files' contents, as on Docker,
// said with "--> Using cache".
func TestTheShrinkLessonOnPodman(t *testing.T) {
	cli, api := podmanOnly(t)
	withBusybox(t, cli, api)
	ctx := context.Background()
	dir := lessonFolder(t, "shrink")
	lesson := uniq("test-podman-shrink")
	b := func(sub, file string) docker.BuildResult {
		t.Helper()
		res, err := built(t, cli, docker.BuildOptions{ContextDir: filepath.Join(dir, sub), Dockerfile: file, Root: dir, Lesson: lesson, BuildKit: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	big := b("big", "")
	h, err := api.ImageHistory(ctx, big.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h[0].CreatedBy, "rm /big") || h[0].Size == 0 || h[0].Size > 8192 || h[1].Size < 10_000_000 {
		t.Errorf("history: %q %d, %q %d", h[0].CreatedBy, h[0].Size, h[1].CreatedBy, h[1].Size)
	}
	// docker images: about 12.5 MB against 2 MB, as on the classic store.
	one := b("onerun", "")
	for _, c := range []struct {
		id       string
		min, max int64
	}{{big.ImageID, 12_000_000, 13_500_000}, {one.ImageID, 1_500_000, 3_000_000}} {
		if insp, err := api.ImageInspect(ctx, c.id); err != nil || insp.Size < c.min || insp.Size > c.max {
			t.Errorf("size of %s: %d (%v), want %d to %d", c.id, insp.Size, err, c.min, c.max)
		}
	}
	appendTo := func(name string) {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.WriteString("# changed " + uniq("x") + "\n")
		f.Close()
	}
	// WORKDIR, COPY . ., RUN sleep: the changed app.sh reruns COPY and RUN.
	b("cache", "slow.Dockerfile")
	appendTo("cache/app.sh")
	if c := podmanCached(b("cache", "slow.Dockerfile").Progress); !sameBools(c, false, true, false, false) {
		t.Errorf("slow again: %v", c)
	}
	// deps.txt first: COPY deps.txt and the slow RUN from the cache.
	b("cache", "")
	appendTo("cache/app.sh")
	if c := podmanCached(b("cache", "").Progress); !sameBools(c, false, true, true, true, false) {
		t.Errorf("deps first again: %v", c)
	}
	appendTo("cache/debug.log")
	if c := podmanCached(b("cache", "").Progress); !sameBools(c, false, true, true, true, false) {
		t.Errorf("debug.log changed: %v", c)
	}
	// .dockerignore: debug.log not sent; COPY deps.txt and RUN cached from
	// the other folder's build (same contents).
	ig := b("ignore", "")
	if ig.Progress.Context.Ignored != 1 || !sameBools(podmanCached(ig.Progress)[:4], false, true, true, true) {
		t.Errorf("ignore: %d ignored, cached %v", ig.Progress.Context.Ignored, podmanCached(ig.Progress))
	}
	appendTo("ignore/debug.log")
	if c := podmanCached(b("ignore", "").Progress); !sameBools(c, false, true, true, true, true) {
		t.Errorf("ignore, debug.log changed: %v", c)
	}
}
