package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/TEST.golden (-update rewrites it).
func golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cli -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cli -run %s -update rewrites it)\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}

// plainOptions are plain mode's for the built-in lessons in lang, with no
// daemon: a handout or the list needs none.
func plainOptions(t *testing.T, lang string) PlainOptions {
	t.Helper()
	ls, err := lessons.Builtin(lang)
	if err != nil {
		t.Fatal(err)
	}
	return PlainOptions{Lessons: ls, Strings: i18n.For(lang), Lang: lang, Now: func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }}
}

// TestPlainHandoutGolden: --plain --no-run prints the lesson as text, its
// steps as the commands a learner would type, nothing run, no colour.
func TestPlainHandoutGolden(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			var b strings.Builder
			o := plainOptions(t, lang)
			o.Lesson = "commit"
			if err := RunPlain(context.Background(), &b, o); err != nil {
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

// TestAHandoutShowsTheDockerfiles: the Dockerfile lesson's handout prints
// each Dockerfile step's file as the lesson has it, not "not there yet",
// and leaves the learner's workspace alone.
func TestAHandoutShowsTheDockerfiles(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	o := plainOptions(t, "en")
	// The learner's workspace holds an edit; the handout prints the
	// lesson's own file, and writes nothing there.
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "dockerfile", "format"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "dockerfile", "format", "Dockerfile"), []byte("FROM busybox\nRUN echo mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o.Lesson, o.Workspace = "dockerfile", ws
	if err := RunPlain(context.Background(), &b, o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "2 FROM busybox:latest") || strings.Contains(out, "is not in the workspace") || strings.Contains(out, "echo mine") {
		t.Errorf("the handout lacks the lesson's Dockerfile:\n%s", out)
	}
	if entries, _ := os.ReadDir(filepath.Join(ws, "dockerfile")); len(entries) != 1 {
		t.Errorf("the handout wrote into the workspace: %v", entries)
	}
}

func TestPlainListsLessonsAndRefusesAnUnknownOne(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if err := RunPlain(context.Background(), &b, plainOptions(t, "en")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "5. Removing images (rmi)") {
		t.Errorf("%s", b.String())
	}
	o := plainOptions(t, "en")
	o.Lesson = "nope"
	if err := RunPlain(context.Background(), &b, o); err == nil || !strings.Contains(err.Error(), `no lesson "nope"`) {
		t.Errorf("unknown lesson: %v", err)
	}
}

// TestAnUnknownLessonListsTheLessons: --lesson with an id no lesson has
// lists the lessons, as the README says, on the screen's path and in plain
// mode alike, in both languages (found by a newcomer: plain mode only said
// "layerlab --plain lists them").
func TestAnUnknownLessonListsTheLessons(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		o := plainOptions(t, lang)
		o.Lesson = "nope"
		var b strings.Builder
		err := RunPlain(context.Background(), &b, o)
		if err == nil {
			t.Fatalf("%s: no error", lang)
		}
		for i, l := range o.Lessons {
			if want := fmt.Sprintf("\n  %d. %s (%s)", i+1, l.Title, l.ID); !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q not listed:\n%v", lang, want, err)
			}
		}
		if !strings.Contains(err.Error(), `"nope"`) || strings.Contains(err.Error(), "--plain lists") {
			t.Errorf("%s: %v", lang, err)
		}
		// The screen's path says the same.
		if e2 := tui.CheckLesson(tui.Options{Lessons: o.Lessons, Lang: lang}, "nope"); e2 == nil || e2.Error() != err.Error() {
			t.Errorf("%s: the screen's path says otherwise:\n%v\n%v", lang, e2, err)
		}
	}
}

// plainOnTheDaemon are the options of plain mode running lesson on the real
// daemon, offline (the lessons' images from a registry of the test's own),
// the learner's tags that it would move kept and given back after.
func plainOnTheDaemon(t *testing.T, lesson string, keep ...string) (PlainOptions, *docker.Client) {
	t.Helper()
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	for _, tag := range keep {
		dockertest.PreserveTag(t, api, tag)
	}
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	dockertest.CleanupOwned(t, cli)
	o := plainOptions(t, "en")
	o.Daemon, o.Mirror, o.Workspace, o.Lesson, o.Run = cli, reg.Host, t.TempDir(), lesson, true
	return o, cli
}

// TestPlainRunsTheLessonAgainstTheDaemon: the commit lesson as a script, on
// the real daemon: every step runs, progress and results are printed.
func TestPlainRunsTheLessonAgainstTheDaemon(t *testing.T) {
	o, cli := plainOnTheDaemon(t, "commit", "busybox:latest", "pyubuntu:init")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var b strings.Builder
	if err := RunPlain(ctx, &b, o); err != nil {
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

// TestPlainRunsTheCopyOnWriteLesson: the copy-on-write lesson as a script,
// on the real daemon: docker diff shows the copy, the new file and the
// deletion; the second container sees /bin/cat and not /notes.txt; the
// commit is busybox's layers plus one; the exercise says what is missing.
func TestPlainRunsTheCopyOnWriteLesson(t *testing.T) {
	o, cli := plainOnTheDaemon(t, "copy-on-write", "busybox:latest", "cow-demo:v1", "cow-mine:v1")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var b strings.Builder
	if err := RunPlain(ctx, &b, o); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	out := b.String()
	// A container's image is the name it was made from; Podman resolves it
	// and keeps the whole name (docker ps shows docker.io/library/busybox:latest).
	base := "the layers of busybox + 1 new layer"
	if cli.IsPodman() {
		base = "the layers of busybox:latest + 1 new layer"
	}
	for _, want := range []string{"C /bin\nC /bin/busybox\nD /bin/cat\nA /notes.txt\n", "/bin/cat\nls: /notes.txt: No such file or directory",
		"new image cow-demo:v1", base, "no image cow-mine:v1 yet", "/bin/.wh.cat"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "✓ done"); n != 8 {
		t.Errorf("%d steps done, want 8:\n%s", n, out)
	}
	if left, err := cli.OwnedContainers(context.Background(), "copy-on-write"); err != nil || len(left) != 0 {
		t.Errorf("the run left its containers: %+v %v", left, err)
	}
}

// TestPlainPrintsEachBuildOnceAsDockerBuildDoes: in plain mode a BuildKit
// build is printed once, as docker build --progress=plain prints it, as it
// comes (never again as a list or a card): the failing step ends in ERROR,
// no step in a negative time.
func TestPlainPrintsEachBuildOnceAsDockerBuildDoes(t *testing.T) {
	o, cli := plainOnTheDaemon(t, "build", "busybox:latest", "pyubuntu:init", "pyubuntu:multi")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var b strings.Builder
	err := RunPlain(ctx, &b, o)
	out := b.String()
	if err != nil && !strings.Contains(err.Error(), "build") {
		t.Fatalf("%v\n%s", err, out)
	}
	if cli.IsPodman() {
		plainBuildsOnPodman(t, out)
		return
	}
	builds := strings.Count(out, "#1 [internal] load build definition from Dockerfile")
	if builds < 5 {
		t.Fatalf("%d BuildKit builds printed, want the lesson's (5 or more):\n%s", builds, out)
	}
	// Every build prints its RUN once: the lesson builds its Dockerfile
	// three times (docker build ., with -t, again after the change).
	if n := strings.Count(out, `[4/4] RUN echo "built by RUN, once, at build time" > /built.txt`); n != 3 {
		t.Errorf("the lesson Dockerfile's RUN is printed %d times in its 3 builds:\n%s", n, out)
	}
	if !regexp.MustCompile(`(?m)^  #\d+ ERROR: .*exit code: 3$`).MatchString(out) || strings.Contains(out, "DONE -") {
		t.Errorf("the failing step does not end in ERROR, or a step took a negative time:\n%s", out)
	}
	if regexp.MustCompile(`(?m)^  #\d+ .*: (DONE|CACHED)`).MatchString(out) {
		t.Errorf("a build is printed a second time, as a list:\n%s", out)
	}
}

// plainBuildsOnPodman: Podman has no BuildKit; each build is printed once,
// as podman build prints it (STEP N/M:, --> Using cache, COMMIT), and the
// failing RUN is named with its exit code.
func plainBuildsOnPodman(t *testing.T, out string) {
	t.Helper()
	if builds := strings.Count(out, "\n  STEP 1/"); builds < 5 {
		t.Fatalf("%d builds printed, want the lesson's (5 or more):\n%s", builds, out)
	}
	// The lesson builds its Dockerfile four times (three asking for
	// BuildKit, one for the classic builder: on Podman its one builder runs
	// each); each prints each step once.
	for _, line := range []string{`STEP 5/8: RUN echo "built by RUN, once, at build time" > /built.txt`, "STEP 2/8: ENV GREETING=hello APP_DIR=/app"} {
		if n := strings.Count(out, line); n != 4 {
			t.Errorf("%q is printed %d times in the Dockerfile's 4 builds:\n%s", line, n, out)
		}
	}
	if !strings.Contains(out, `STEP 3/4: RUN echo "this step fails" && exit 3`) || !strings.Contains(out, "instruction 3 exited with code 3") {
		t.Errorf("the failing step is not named with its exit code:\n%s", out)
	}
}

// TestPlainRunsTheFilesLesson: "An image is files" as a script on the real
// daemon: the save lands in the workspace, the listing matches each layer to
// its diff id and says which layout the engine wrote, rmi then load gives
// the same id back, and a layer of two images saved together is stored once.
func TestPlainRunsTheFilesLesson(t *testing.T) {
	o, cli := plainOnTheDaemon(t, "image-files", "busybox:latest", "files-demo:v1")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var b strings.Builder
	if err := RunPlain(ctx, &b, o); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	want := []string{"files-demo.tar written in", "= diff id 1 ✓", "= diff id 3 ✓", "Loaded image: files-demo:v1",
		"the same as when it was saved", "in 2 images, stored once", "each layer's sha256 is its diff id"}
	store, _ := cli.Connect(ctx)
	if store.ContainerdStore {
		want = append(want, "index.json", "oci-layout", "the OCI image layout", "sha256 of its manifest")
	} else {
		want = append(want, "repositories", "Docker's legacy layout", "sha256 of its config", "a link to")
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("lacks %q:\n%s", w, b.String())
		}
	}
	if n := strings.Count(out, "✓ done"); n != 11 {
		t.Errorf("%d steps done, want 11:\n%s", n, b.String())
	}
	if _, err := os.Stat(filepath.Join(o.Workspace, "image-files", "files-demo.tar")); err != nil {
		t.Errorf("the save is not in the workspace: %v", err)
	}
}

// TestPlainRunsTheVolumesLesson: "Where data lives" as a script, on the
// real daemon: the file written into a removed container's layer is gone,
// the one written into the volume is read by the next container, the
// volume in use is refused as the lesson expects, the commit takes the
// layer's file and not the volume's, the bind mount reads the workspace's
// file and writes one back into it; the exercises say what is missing.
func TestPlainRunsTheVolumesLesson(t *testing.T) {
	o, cli := plainOnTheDaemon(t, "volumes", "busybox:latest", "layerlab-vol:commit")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var b strings.Builder
	if err := RunPlain(ctx, &b, o); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	out := b.String()
	for _, want := range []string{"can't open '/notes.txt'", "DRIVER    VOLUME NAME", "\nkept\n", "As expected: The volume is in use",
		"\nA /data\n", "in the layer\nfiles in /data: 0", "hello from a folder of this machine", "no volume mydata yet"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "✓ done"); n != 21 {
		t.Errorf("%d steps done, want 21:\n%s", n, out)
	}
	if got, err := os.ReadFile(filepath.Join(o.Workspace, "volumes", "shared", "from-box.txt")); err != nil || string(got) != "written by the container\n" {
		t.Errorf("the bind mount's file on the host: %q %v", got, err)
	}
	if vols, err := cli.OwnedVolumes(ctx, "volumes"); err != nil || len(vols) != 1 {
		t.Errorf("the lesson's volume: %+v %v", vols, err)
	}
}
