package render

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestOfflineHintsUseTheMirror: a hint for a classroom without internet
// names the mirror layerlab was started with, or says what goes there.
func TestOfflineHintsUseTheMirror(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	p := Painter{T: &i18n.English, St: &st}
	hint := "docker pull MIRROR/library/busybox:1.36"
	if got := p.withMirror(hint); got != "docker pull HOST:PORT/library/busybox:1.36" {
		t.Errorf("no mirror: %q", got)
	}
	p.Mirror = "10.0.0.5:5000"
	if got := p.withMirror(hint); got != "docker pull 10.0.0.5:5000/library/busybox:1.36" {
		t.Errorf("with a mirror: %q", got)
	}
}

// TestAnExecCardOfAGoneContainer: a command that failed in a container the
// learner removed since does not say the container is "still there and
// usable": what it printed stays, and the card says the container is gone
// and which step starts it again, in both languages (found by a learner).
func TestAnExecCardOfAGoneContainer(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st, Now: time.Now}
		step := &lessons.Step{Index: 5, Kind: lessons.KindExec, Arg: "layerlab-box-2", Cmd: "ls /hello.txt", Title: "t"}
		state := &engine.StepState{Status: engine.Done, Exec: &docker.ExecResult{Stderr: "ls: /hello.txt: No such file or directory", ExitCode: 1}}
		c := Card{Lesson: &lessons.Lesson{ID: "containers", Steps: []*lessons.Step{step}}, Step: step, State: state, Names: engine.NewSession()}
		there := strings.ReplaceAll(ansi.Strip(p.Card(c, 70)), "│", " ")
		c.GoneStep = 5
		gone := strings.ReplaceAll(ansi.Strip(p.Card(c, 70)), "│", " ")
		flat := strings.Join(strings.Fields(gone), " ")
		if !strings.Contains(strings.Join(strings.Fields(there), " "), tr.ExecFailedNote) || strings.Contains(flat, tr.ExecFailedNote) {
			t.Errorf("%s: the note of a container there / gone:\n%s\n%s", lang, there, gone)
		}
		if !strings.Contains(flat, "No such file") || !strings.Contains(flat, "layerlab-box-2") || !strings.Contains(flat, "5") {
			t.Errorf("%s: the gone card lacks the output or the step:\n%s", lang, gone)
		}
		// docker diff of it: not "the writable layer is empty".
		diff := &lessons.Step{Index: 6, Kind: lessons.KindDiff, Arg: "layerlab-box-2", Title: "d"}
		dc := Card{Lesson: c.Lesson, Step: diff, State: &engine.StepState{Status: engine.Done}, Names: c.Names, GoneStep: 5}
		if out := strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(p.Card(dc, 70)), "│", " ")), " "); strings.Contains(out, tr.DiffEmpty) || !strings.Contains(out, "layerlab-box-2") {
			t.Errorf("%s: a diff of a gone container:\n%s", lang, out)
		}
	}
}

// TestALongStepTitleWraps: a step's title too long for its card wraps to a
// second line, whole, in both languages (found by a learner: "Step 18 ·
// Remove the image you committed in the…").
func TestALongStepTitleWraps(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st, Now: time.Now}
		step := &lessons.Step{Index: 17, Kind: lessons.KindImages, Title: "Remove the image you committed in the commit lesson, by its tag"}
		c := Card{Lesson: &lessons.Lesson{ID: "rmi", Steps: []*lessons.Step{step}}, Step: step, State: &engine.StepState{}, Names: engine.NewSession()}
		out := ansi.Strip(p.Card(c, 52))
		if !strings.Contains(out, "by its tag") || strings.Contains(out, "…") {
			t.Errorf("%s: the title is cut:\n%s", lang, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > 52 {
				t.Errorf("%s: a line %d wide: %q", lang, ansi.StringWidth(l), l)
			}
		}
	}
}

// TestAFinishedTableKeepsItsTime: a docker ps card read 24 seconds after the
// container was made says "24 seconds ago" as its STATUS says "Up 24
// seconds", ten minutes later too (found by a learner: CREATED went on
// counting beside a STATUS that did not).
func TestAFinishedTableKeepsItsTime(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	made := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	p := Painter{T: &i18n.English, St: &st, Now: func() time.Time { return made.Add(10 * time.Minute) }}
	step := &lessons.Step{Index: 6, Kind: lessons.KindPs, Title: "ps"}
	ctr := docker.Container{ID: "cf8e7edfff65aaaa", Name: "layerlab-box-1", Image: "busybox", Command: "sh", Status: "Up 24 seconds", Created: made}
	s := engine.NewSession()
	k := engine.StepKey{Lesson: "containers", Index: 6}
	s.Begin(k, made)
	state := s.FinishTable(k, engine.TableShot{Containers: []docker.Container{ctr}}, nil, made.Add(24*time.Second))
	c := Card{Lesson: &lessons.Lesson{ID: "containers", Steps: []*lessons.Step{step}}, Step: step, State: state, Names: s}
	out := ansi.Strip(p.Card(c, 140))
	if !strings.Contains(out, "24 seconds ago") || strings.Contains(out, "10 minutes ago") {
		t.Errorf("the card's CREATED is not of when it was read:\n%s", out)
	}
}

// TestADockerfileCardWrapsALongLine: a RUN line longer than the card wraps
// under itself, so its end ("&& rm /big", the lesson's point) is on screen
// (found by a newcomer at 100x30 and 80x24).
func TestADockerfileCardWrapsALongLine(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	p := Painter{T: &i18n.English, St: &st, Now: time.Now}
	step := &lessons.Step{Index: 4, Kind: lessons.KindDockerfile, Arg: "onerun/Dockerfile", Title: "t"}
	text := "FROM busybox:latest\nRUN dd if=/dev/urandom of=/big bs=1024 count=10240 && md5sum /big > /big.md5 && rm /big\n"
	c := Card{Lesson: &lessons.Lesson{ID: "shrink", Steps: []*lessons.Step{step}}, Step: step, State: &engine.StepState{}, Names: engine.NewSession(), Files: map[string]string{step.Arg: text}}
	for _, w := range []int{46, 60} {
		out := ansi.Strip(p.DockerfileCard(c, w))
		if !strings.Contains(strings.Join(strings.Fields(out), " "), "&& rm /big") {
			t.Errorf("at %d the line's end is cut:\n%s", w, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("at %d a line %d wide: %q", w, ansi.StringWidth(l), l)
			}
		}
	}
}

// TestACardOfAContainerTheLessonRemoved: when an rm step of the lesson
// removed the container on purpose, its run, exec and diff cards say which
// step removed it, and do not invite the learner to start it again, in
// both languages (found by a newcomer).
func TestACardOfAContainerTheLessonRemoved(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st, Now: time.Now}
		run := &lessons.Step{Index: 1, Kind: lessons.KindRun, Arg: "busybox", Name: "layerlab-vol-1", Title: "r"}
		exec := &lessons.Step{Index: 2, Kind: lessons.KindExec, Arg: "layerlab-vol-1", Cmd: "echo hello > /notes.txt", Title: "e"}
		diff := &lessons.Step{Index: 3, Kind: lessons.KindDiff, Arg: "layerlab-vol-1", Title: "d"}
		l := &lessons.Lesson{ID: "volumes", Steps: []*lessons.Step{run, exec, diff}}
		states := map[*lessons.Step]*engine.StepState{
			run:  {Status: engine.Done, Gone: true},
			exec: {Status: engine.Done, Exec: &docker.ExecResult{}},
			diff: {Status: engine.Done},
		}
		for _, s := range []*lessons.Step{run, exec, diff} {
			c := Card{Lesson: l, Step: s, State: states[s], Names: engine.NewSession(), Selected: true, GoneStep: 2, RemovedStep: 4}
			out := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┃", " ").Replace(ansi.Strip(p.Card(c, 70)))), " ")
			want := strings.Join(strings.Fields(i18n.Tr(tr.RemovedByFmt, "layerlab-vol-1", 4)), " ")
			if !strings.Contains(out, want) {
				t.Errorf("%s: step %d's card does not say step 4 removed it:\n%s", lang, s.Index+1, out)
			}
			if strings.Contains(out, tr.RunAgainHint) || strings.Contains(out, tr.StepGone) || strings.Contains(out, strings.Fields(tr.ContainerGoneFmt)[0]+" layerlab-vol-1 "+strings.Fields(tr.ContainerGoneFmt)[2]) {
				t.Errorf("%s: step %d's card invites to start it again:\n%s", lang, s.Index+1, out)
			}
		}
	}
}

// TestACardOfAContainerNeverMadeNamesTheStepThatMakesIt: an exec, diff or
// commit step that failed for want of its container (No such container),
// whose run step failed or has not run, says which step makes it, in both
// languages; a missing container with its run step done says nothing of it.
func TestACardOfAContainerNeverMadeNamesTheStepThatMakesIt(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	notFound := &docker.Error{Kind: docker.KindNotFound, Op: "exec", Detail: "No such container: layerlab-vol-bind"}
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st, Now: time.Now}
		exec := &lessons.Step{Index: 20, Kind: lessons.KindExec, Arg: "layerlab-vol-bind", Cmd: "cat /data/hello.txt", Title: "e"}
		l := &lessons.Lesson{ID: "volumes", Steps: []*lessons.Step{exec}}
		for _, tc := range []struct {
			step   int
			failed bool
			want   string
		}{{20, true, i18n.Tr(tr.UnstartedFailedFmt, "layerlab-vol-bind", 20)}, {20, false, i18n.Tr(tr.UnstartedFmt, "layerlab-vol-bind", 20)}, {0, false, ""}} {
			c := Card{Lesson: l, Step: exec, State: &engine.StepState{Status: engine.Failed, Err: notFound}, Names: engine.NewSession(), Selected: true,
				UnstartedStep: tc.step, UnstartedFailed: tc.failed}
			out := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┃", " ", "•", " ").Replace(ansi.Strip(p.Card(c, 70)))), " ")
			if tc.want != "" && !strings.Contains(out, strings.Join(strings.Fields(tc.want), " ")) {
				t.Errorf("%s: the card does not say %q:\n%s", lang, tc.want, out)
			}
			for _, f := range []string{tr.UnstartedFmt, tr.UnstartedFailedFmt} {
				w := strings.Join(strings.Fields(i18n.Tr(f, "layerlab-vol-bind", 20)), " ")
				if tc.want == "" && strings.Contains(out, w[strings.Index(w, "layerlab-vol-bind")+len("layerlab-vol-bind"):]) {
					t.Errorf("%s: a card with its run step done names one:\n%s", lang, out)
				}
			}
			if want := strings.Join(strings.Fields(i18n.Tr(tr.Err.NoContainerFmt, "layerlab-vol-bind")), " "); !strings.Contains(out, want[:strings.Index(want, "layerlab-vol-bind")+len("layerlab-vol-bind")]) {
				t.Errorf("%s: the missing container is not named as the container:\n%s", lang, out)
			}
		}
	}
}

// TestABindMountsFolderWrapsAtItsSlashes: a run card's bind mount line,
// with a folder too long for the line, breaks the path after a "/" (never
// inside a folder's name, nor at a hyphen in it), in both languages and at
// the widths of the screens (found by a newcomer).
func TestABindMountsFolderWrapsAtItsSlashes(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	const dir = "/home/learner-with-a-long-name/.cache/layerlab/workspace/volumes/shared"
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st, Now: time.Now}
		step := &lessons.Step{Index: 19, Kind: lessons.KindRun, Arg: "busybox", Name: "layerlab-vol-bind", Volume: "./shared:/data", Title: "b"}
		state := &engine.StepState{Status: engine.Done, ContainerID: "a522c0dd0a61",
			Mounts: []docker.Mount{{Source: dir, Target: "/data"}}}
		c := Card{Lesson: &lessons.Lesson{ID: "volumes", Steps: []*lessons.Step{step}}, Step: step, State: state, Names: engine.NewSession()}
		for _, w := range []int{30, 44, 48, 70} {
			out := ansi.Strip(p.Output(c, w))
			var parts []string
			for _, l := range strings.Split(out, "\n") {
				for _, f := range strings.Fields(l) {
					f = strings.TrimRightFunc(f, func(r rune) bool { return unicode.Is(unicode.Hangul, r) })
					if strings.Contains(dir, f) && strings.Contains(f, "/") {
						parts = append(parts, f)
					}
				}
			}
			joined := strings.Join(parts, "")
			if !strings.Contains(joined, dir) {
				t.Errorf("%s at %d: the folder is not on the card whole:\n%s", lang, w, out)
				continue
			}
			for i, f := range parts {
				if i < len(parts)-1 && !strings.HasSuffix(f, "/") && strings.Contains(dir, f+parts[i+1]) {
					t.Errorf("%s at %d: the folder breaks inside a name (%q | %q):\n%s", lang, w, f, parts[i+1], out)
				}
			}
		}
	}
}
