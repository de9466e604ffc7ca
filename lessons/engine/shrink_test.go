package engine

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// TestShrinkLessonRunsOnTheFake: the shrink lesson's new kinds through
// Run, the step machine every front end shares: history reads docker
// history of the lesson's image, append adds its line to the workspace file
// (again at every run: each run is a change), a file that is not there is
// a note and not a failure; images keeps its REPO (ImagesOf filters).
func TestShrinkLessonRunsOnTheFake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := lesson(t, "shrink")
	ws := t.TempDir()
	dir := filepath.Join(ws, "shrink")
	if err := Seed(dir, "", "en", "shrink"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 11, 2, 3, 0, time.UTC)
	env := Env{Workspaces: map[string]string{"shrink": dir}, Now: func() time.Time { return at }}
	s, r := NewSession(), &runner{}
	var hist, app *lessons.Step
	for _, st := range l.Steps {
		if st.Kind == lessons.KindHistory && hist == nil {
			hist = st
		}
		if st.Kind == lessons.KindAppend && app == nil {
			app = st
		}
	}
	ss := s.Run(ctx, r, env, l, hist, nil)
	if ss.Status != Done || len(ss.History) != 1 || r.calls[len(r.calls)-1] != "history shrink:later-rm" {
		t.Fatalf("history: %+v %v", ss, r.calls)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "cache", "app.sh"))
	for range 2 {
		if ss = s.Run(ctx, r, env, l, app, nil); ss.Status != Done || ss.Appended == nil {
			t.Fatalf("append: %+v", ss)
		}
	}
	after, _ := os.ReadFile(filepath.Join(dir, "cache", "app.sh"))
	line := "# changed Mon Dec  7 11:02:03 UTC 2026"
	if want := string(before) + line + "\n" + line + "\n"; string(after) != want || ss.Appended.Lines != 3 || ss.Appended.Size != int64(len(want)) || ss.Appended.Line != line {
		t.Errorf("app.sh after two runs: %q, %+v", after, ss.Appended)
	}
	if err := os.Remove(filepath.Join(dir, "cache", "app.sh")); err != nil {
		t.Fatal(err)
	}
	if ss = s.Run(ctx, r, env, l, app, nil); ss.Status != Idle || ss.Note != NoteFileMissing {
		t.Errorf("append to a file not there: %+v", ss)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "cache", "app.sh")); err != nil {
		t.Fatal(err)
	}
	var fe *FileError
	if ss = s.Run(ctx, r, env, l, app, nil); ss.Status != Failed || !errors.As(ss.Err, &fe) || fe.Code != FileNotPlain {
		t.Errorf("append through a link: %+v", ss)
	}
	if _, err := AppendLine(dir, "cache/debug.log", strings.Repeat("x", MaxFile), time.Now()); !errors.As(err, &fe) || fe.Code != FileTooLarge {
		t.Errorf("a line that makes the file too large: %v", err)
	}
	if _, err := AppendLine(dir, "nothing/here", "x", time.Now()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file not there: %v", err)
	}
}

func TestImagesOfIsDockerImagesRepo(t *testing.T) {
	t.Parallel()
	ims := []docker.Image{{Repo: "shrink", Tag: "later-rm"}, {Repo: "shrink", Tag: "one-run"}, {Repo: "busybox", Tag: "latest"}, {Repo: "shrinkage", Tag: "x"}}
	if got := ImagesOf(ims, "shrink"); len(got) != 2 {
		t.Errorf("shrink: %+v", got)
	}
	if got := ImagesOf(ims, "shrink:one-run"); len(got) != 1 || got[0].Tag != "one-run" {
		t.Errorf("shrink:one-run: %+v", got)
	}
	if got := ImagesOf(ims, ""); len(got) != 4 {
		t.Errorf("all: %+v", got)
	}
}

// TestSmallerExercise: done only for the learner's own build named since,
// under the size; a lesson step's build, an image from before, and one too
// large each say what is missing.
func TestSmallerExercise(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	did := NewActivity()
	did.Saw(docker.Event{Type: "image", Action: "tag", Name: "shrink:mine", Time: since.Add(time.Second)})
	w := func(im docker.Image) World {
		return World{Images: []docker.Image{im}, Did: did, Since: since}
	}
	mine := docker.Image{ID: "sha256:aa", Repo: "shrink", Tag: "mine", Size: 2_000_000, Created: since.Add(time.Second)}
	if v := Evaluate("smaller shrink:mine 5MB", w(mine)); !v.Done {
		t.Errorf("2 MB under 5MB: %+v", v)
	}
	big := mine
	big.Size = 12_500_000
	if v := Evaluate("smaller shrink:mine 5MB", w(big)); v.Why.Code != WhyTooBig || v.Why.Args[1] != "12500000" || v.Why.Args[2] != "5MB" {
		t.Errorf("12.5 MB: %+v", v)
	}
	owned := mine
	owned.Owned, owned.Created = true, since.Add(-time.Hour)
	built := w(owned)
	built.Built = map[string]bool{owned.ID: true}
	if v := Evaluate("smaller shrink:mine 5MB", built); !v.Done {
		t.Errorf("the learner's build, the same image as a lesson step's (BuildKit's cache): %+v", v)
	}
	// docker tag busybox shrink:mine: a small image, there before, built by
	// nobody now (found by a newcomer: it was marked done).
	retag := docker.Image{ID: "sha256:bb", Repo: "shrink", Tag: "mine", Size: 1_990_000, Created: since.Add(-24 * time.Hour)}
	if v := Evaluate("smaller shrink:mine 5MB", w(retag)); v.Done || v.Why.Code != WhySmallerNotBuilt {
		t.Errorf("a retag of busybox: %+v", v)
	}
	if v := Evaluate("smaller shrink:mine 5MB", World{Images: []docker.Image{owned}, Did: did, Since: since.Add(time.Hour)}); v.Why.Code != WhySmallerLessons {
		t.Errorf("the lesson's, not named by the learner since: %+v", v)
	}
	if v := Evaluate("smaller shrink:mine 5MB", World{Did: did, Since: since}); v.Why.Code != WhySmallerMissing {
		t.Errorf("missing: %+v", v)
	}
	if v := Evaluate("smaller shrink:mine 5MB", World{Images: []docker.Image{mine}, Did: did, Since: since.Add(time.Hour)}); v.Why.Code != WhySmallerBefore {
		t.Errorf("before: %+v", v)
	}
}

// TestAppendTextAsAShellRunsIt: $(date) is the time, as date prints it, and
// the command shows it in double quotes, as a shell would run it; a text
// with anything else a shell reads in double quotes is refused.
func TestAppendTextAsAShellRunsIt(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 5, 9, 4, 5, 0, time.UTC)
	if got := lessons.AppendedText("$(date) debug", at); got != "Mon Jan  5 09:04:05 UTC 2026 debug" {
		t.Errorf("AppendedText: %q", got)
	}
	if got := lessons.AppendCommand("# changed $(date)", "cache/app.sh"); got != `echo "# changed $(date)" >> cache/app.sh` {
		t.Errorf("with $(date): %s", got)
	}
	if got := lessons.AppendCommand(`it's "x"`, "a"); got != `echo 'it'"'"'s "x"' >> a` {
		t.Errorf("without: %s", got)
	}
	for _, bad := range []string{`$(date) "x"`, "$(date) $HOME", "$(date) `id`", `$(date) \`, "$(date) !"} {
		src := "---\nid: a\ntitle: A\n---\n```step\nappend: f.txt\ntext: " + bad + "\n```\n"
		if _, err := lessons.Parse("a.md", []byte(src)); err == nil || !strings.Contains(err.Error(), "bad-append-text") && !strings.Contains(err.Error(), "double quotes") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}
