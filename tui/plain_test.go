package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

func plainOptions(t *testing.T, lang string) Options {
	m := testModelIn(t, lang, 80, 24)
	return *m.opts
}

// TestPlainHandoutGolden: --plain --no-run prints the lesson as text, its
// steps as the commands a learner would type, nothing run, no colour.
func TestPlainHandoutGolden(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			if err := RunPlain(context.Background(), &b, plainOptions(t, lang), PlainOptions{Lesson: "commit"}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "\x1b") || strings.Contains(out, "**") {
				t.Error("escape codes or markdown markers in plain output")
			}
			for _, want := range []string{"$ docker commit layerlab-commit-1 pyubuntu:init", "$ docker run -dit --name layerlab-commit-1 busybox"} {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q", want)
				}
			}
			golden(t, out)
		})
	}
}

func TestPlainListsLessonsAndRefusesAnUnknownOne(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if err := RunPlain(context.Background(), &b, plainOptions(t, "en"), PlainOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "5. Removing images (rmi)") {
		t.Errorf("%s", b.String())
	}
	if err := RunPlain(context.Background(), &b, plainOptions(t, "en"), PlainOptions{Lesson: "nope"}); err == nil || !strings.Contains(err.Error(), `no lesson "nope"`) {
		t.Errorf("unknown lesson: %v", err)
	}
}

// TestPlainRunsTheLessonAgainstTheDaemon: the commit lesson as a script, on
// the real daemon: every step runs, progress and results are printed.
func TestPlainRunsTheLessonAgainstTheDaemon(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	dockertest.PreserveTag(t, api, "pyubuntu:init")
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	dockertest.CleanupOwned(t, cli)
	o := plainOptions(t, "en")
	o.Client, o.Mirror, o.Workspace = cli, reg.Host, t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var b strings.Builder
	if err := RunPlain(ctx, &b, o, PlainOptions{Lesson: "commit", Run: true}); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	out := b.String()
	for _, want := range []string{"Pull complete", "pulled busybox:latest", "exit code 0", "new image pyubuntu:init", "REPOSITORY", "pyubuntu"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "✓ done"); n != 6 {
		t.Errorf("%d steps done, want 6:\n%s", n, out)
	}
	// The lesson's container does not outlive the run, as when the app quits.
	if left, err := cli.OwnedContainers(context.Background(), "commit"); err != nil || len(left) != 0 {
		t.Errorf("the run left its containers: %+v %v", left, err)
	}
}
