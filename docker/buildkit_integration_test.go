package docker_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestBuildKitBuildsAsTheCLIDoes: a BuildKit build of the lesson's
// Dockerfile, offline, on both engines: one vertex per instruction (the
// steps the lesson counts), each RUN's output kept, the image's history one
// entry per instruction above FROM; a second build is all CACHED; a change
// in one line runs that line and the ones after it again, never those above.
func TestBuildKitBuildsAsTheCLIDoes(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "Podman has no BuildKit: a build asking for it runs on Podman's builder (TestTheBuildLessonOnPodman)")
	withLedger(t, cli)
	api := dockertest.API(t)
	ctx := context.Background()
	src := strings.ReplaceAll(lessonDockerfile, "BASE", base)
	dir := workspace(t, map[string]string{"Dockerfile": src, "hello.txt": "hello\n"})
	tag := tagRef(t, uniq("layerlab-test-buildkit")+":init")
	o := docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{tag}, Lesson: "test-build", BuildKit: true}
	res, err := built(t, cli, o)
	if err != nil {
		t.Fatalf("%v\n%+v", err, res.Progress.Vertices)
	}
	an := dockerfile.Analyze(src)
	layers, _ := an.Counts()
	steps := res.Progress.Steps
	// BuildKit numbers FROM and the instructions that make a layer.
	if !res.Progress.BuildKit || len(steps) != layers+1 || steps[0].Total != layers+1 {
		t.Fatalf("%d steps, analyzer counts %d layers: %+v", len(steps), layers, steps)
	}
	for i, s := range steps {
		if !s.Done || s.Index != i+1 {
			t.Errorf("step %d: %+v", i+1, s)
		}
	}
	hist, err := api.ImageHistory(ctx, res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	var entries int
	for _, h := range hist {
		if h.Comment == "buildkit.dockerfile.v0" {
			entries++
		}
	}
	if entries != an.Steps-1 {
		t.Errorf("%d history entries of this build, want one per instruction above FROM (%d)", entries, an.Steps-1)
	}
	if !slices.Contains(steps[len(steps)-1].Output, "building in /app/work") {
		t.Errorf("RUN's output not kept: %+v", steps[len(steps)-1])
	}
	if !cli.Ledger().HasImage(cli.Endpoint().Host, res.ImageID) {
		t.Error("the image BuildKit made is not layerlab's")
	}
	again, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range again.Progress.Steps[1:] {
		if !s.Cached {
			t.Errorf("rebuilt, not cached: %+v", s)
		}
	}
}

// TestBuildKitRebuildsFromTheChangedLine: a change in one line runs that
// line and every line after it again; the lines above come from the cache.
func TestBuildKitRebuildsFromTheChangedLine(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "Podman has no BuildKit (TestTheBuildLessonOnPodman tests its cache after a changed line)")
	withLedger(t, cli)
	src := "FROM " + base + "\nRUN echo one > /one.txt\nRUN echo two > /two.txt\nRUN echo three > /three.txt\nCMD [\"sh\"]\n"
	dir := workspace(t, map[string]string{"Dockerfile": src})
	o := docker.BuildOptions{ContextDir: dir, Lesson: "test-build", BuildKit: true}
	if _, err := built(t, cli, o); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(strings.Replace(src, "echo two", "echo TWO", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := built(t, cli, o)
	if err != nil {
		t.Fatal(err)
	}
	var cached []bool
	for _, s := range res.Progress.Steps[1:] {
		cached = append(cached, s.Cached)
	}
	if !slices.Equal(cached, []bool{true, false, false}) {
		t.Errorf("cached after changing line 3: %v (want the line above cached, it and the one after run)", cached)
	}
}

// TestBuildKitMultiStageKeepsOnlyTheLastStage: only the last stage's layers
// are in the image, and a stage nothing uses is skipped.
func TestBuildKitMultiStageKeepsOnlyTheLastStage(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "Podman has no BuildKit (TestTheBuildLessonOnPodman tests its stages)")
	withLedger(t, cli)
	api := dockertest.API(t)
	src := "FROM " + base + " AS build\nRUN echo compiled > /out.txt\n" +
		"FROM " + base + " AS unused\nRUN echo never > /never.txt\n" +
		"FROM " + base + "\nCOPY --from=build /out.txt /app/out.txt\nCMD [\"cat\", \"/app/out.txt\"]\n"
	dir := workspace(t, map[string]string{"Dockerfile": src})
	res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-build", BuildKit: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Progress.Vertices {
		if strings.Contains(v.Name, "never") {
			t.Errorf("the unused stage ran: %s", v.Name)
		}
	}
	// The final stage's steps (its FROM is the build stage's, made once
	// and named there), none of the other stages'.
	if s := res.Progress.Steps; len(s) == 0 || !strings.HasPrefix(s[len(s)-1].Instruction, "COPY --from=build") || s[len(s)-1].Total != 2 {
		t.Errorf("the final stage's steps: %+v", s)
	}
	for _, s := range res.Progress.Steps {
		if strings.Contains(s.Instruction, "compiled") {
			t.Errorf("a step of another stage: %+v", s)
		}
	}
	hist, err := api.ImageHistory(context.Background(), res.ImageID)
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for _, h := range hist {
		if h.Comment == "buildkit.dockerfile.v0" {
			mine = append(mine, h.CreatedBy)
		}
	}
	if len(mine) != 2 || !strings.HasPrefix(mine[1], "COPY") || strings.Contains(strings.Join(mine, " "), "compiled") {
		t.Errorf("the image's history holds more than the last stage: %q", mine)
	}
	// The analyzer (issue 30, 4) counts what the image really holds, and
	// knows which stage BuildKit skipped.
	an := dockerfile.Analyze(src)
	if layers, meta := an.Counts(); layers+meta != len(mine) {
		t.Errorf("the analyzer counts %d layers and %d metadata entries; the image has %d history entries of this build: %q", layers, meta, len(mine), mine)
	}
	if st := an.StageList; len(st) != 3 || !st[0].Built || st[1].Built || !st[2].Final {
		t.Errorf("the analyzer's stages: %+v", st)
	}
}

// TestBuildKitErrorsAreExplained: a failing RUN with its exit code and its
// step, a Dockerfile error with its line, a base image that is not there.
func TestBuildKitErrorsAreExplained(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	for _, c := range []struct {
		name, src string
		kind      docker.Kind
		check     func(*docker.Error) bool
	}{
		{"exit", "FROM " + base + "\nRUN echo ok\nRUN exit 3\n", docker.KindBuildFailed, func(e *docker.Error) bool { return e.ExitCode == 3 && e.Step == 3 }},
		{"parse", "FROM " + base + "\nRUM echo\n", docker.KindDockerfile, func(e *docker.Error) bool { return e.Line == 2 }},
		// Offline, a base image that is not on the daemon cannot be fetched.
		{"base", "FROM layerlab-no-such-base:1\nRUN echo\n", docker.KindRegistryUnreachable, func(e *docker.Error) bool { return e.Image == "layerlab-no-such-base:1" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := workspace(t, map[string]string{"Dockerfile": c.src})
			_, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-build", BuildKit: true})
			var e *docker.Error
			if !errors.As(err, &e) || e.Kind != c.kind || !c.check(e) {
				t.Errorf("%s: %#v", c.name, err)
			}
		})
	}
}

// TestBuildKitCancelLeavesNothing: esc mid-build stops it; no image, no tag
// and no container of it stay.
func TestBuildKitCancelLeavesNothing(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "Podman has no BuildKit")
	withLedger(t, cli)
	api := dockertest.API(t)
	dir := workspace(t, map[string]string{"Dockerfile": "FROM " + base + "\nRUN sleep 30\n"})
	tag := tagRef(t, uniq("layerlab-test-bkcancel")+":v1")
	ctx, cancel := context.WithCancel(context.Background())
	before := containerIDs(t, api, false)
	res, err := cli.Build(ctx, docker.BuildOptions{ContextDir: dir, Tags: []docker.Ref{tag}, Lesson: "test-build", BuildKit: true}, func(p docker.BuildProgress) {
		for _, v := range p.Vertices {
			if strings.Contains(v.Name, "sleep 30") && !v.Started.IsZero() {
				cancel()
			}
		}
	})
	cancel()
	if docker.KindOf(err) != docker.KindCanceled || res.ImageID != "" {
		t.Fatalf("a cancelled build ended with %v, image %q", err, res.ImageID)
	}
	if _, err := api.ImageInspect(context.Background(), tag.String()); err == nil {
		t.Error("the cancelled build's tag exists")
	}
	if left := madeSince(before, containerIDs(t, api, false)); len(left) > 0 {
		t.Errorf("containers left by the cancelled build: %v", left)
	}
}

// TestBothBuildersMakeTheSameStack: the lesson's claim, side by side: the
// classic builder commits an image per instruction, BuildKit none, and both
// make an image with as many layers and history entries.
func TestBothBuildersMakeTheSameStack(t *testing.T) {
	cli, base := lessonBase(t)
	dockertest.SkipOnPodman(t, cli, "Podman has one builder, buildah, whatever the client asks")
	withLedger(t, cli)
	api := dockertest.API(t)
	ctx := context.Background()
	src := strings.ReplaceAll(lessonDockerfile, "BASE", base)
	dir := workspace(t, map[string]string{"Dockerfile": src, "hello.txt": "hello\n"})
	shape := func(kit bool) (layers, entries, stepImages int) {
		res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-build", BuildKit: kit})
		if err != nil {
			t.Fatal(err)
		}
		insp, err := api.ImageInspect(ctx, res.ImageID)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := api.ImageHistory(ctx, res.ImageID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Progress.Steps {
			if s.ImageID != "" {
				stepImages++
			}
		}
		return len(insp.RootFS.Layers), len(hist), stepImages
	}
	cl, ce, ci := shape(false)
	kl, ke, ki := shape(true)
	if cl != kl || ce != ke {
		t.Errorf("classic: %d layers, %d entries; BuildKit: %d layers, %d entries", cl, ce, kl, ke)
	}
	if ci != dockerfile.Analyze(src).Steps || ki != 0 {
		t.Errorf("images per step: classic %d (want one per instruction), BuildKit %d (want none)", ci, ki)
	}
}

// TestBuildKitContextAsTheCLISendsIt: the session serves the context as the
// CLI's does: .dockerignore keeps a file out, and -f names a Dockerfile
// outside the context.
func TestBuildKitContextAsTheCLISendsIt(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	ctxDir := workspace(t, map[string]string{"hello.txt": "hello\n", "notes.tmp": "secret\n", ".dockerignore": "*.tmp\n"})
	dfDir := workspace(t, map[string]string{"elsewhere/Dockerfile": "FROM " + base + "\nCOPY . /ctx/\nRUN test -e /ctx/hello.txt && test ! -e /ctx/notes.tmp\n"})
	res, err := built(t, cli, docker.BuildOptions{ContextDir: ctxDir, Dockerfile: filepath.Join(dfDir, "elsewhere/Dockerfile"), Lesson: "test-build", BuildKit: true})
	if err != nil {
		t.Fatalf("%v\n%+v", err, res.Progress.Steps)
	}
	if len(res.Progress.Steps) != 3 || res.Progress.Context.DockerfileInContext {
		t.Errorf("steps %+v, context %+v", res.Progress.Steps, res.Progress.Context)
	}
}
