package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// runStepLive selects step i of the open lesson, runs it and waits for it to end.
func runStepLive(t *testing.T, m Model, i int) Model {
	t.Helper()
	m.selectStep(i)
	m.settle()
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	k := engine.StepKey{Lesson: m.lesson().ID, Index: i}
	return drive(t, m, cmd, 2*time.Minute, func(m Model, msg tea.Msg) bool {
		_, w := msg.(writableMsg)
		s := m.work.eng.Steps[k]
		return s != nil && s.Status != engine.Running && (w || s.Status == engine.Failed || m.lesson().Steps[i].Kind == "pull")
	})
}

func TestCommitLessonThroughTheModel(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	dockertest.PreserveTag(t, api, "pyubuntu:init")
	// A pyubuntu:init there before (this run's layerlab did not make it,
	// whatever its labels) must survive x.
	_, err := api.ImageInspect(context.Background(), "pyubuntu:init")
	hadTag := err == nil

	m, cmd := liveModel(t, reg.Host)
	m = drive(t, m, cmd, 20*time.Second, func(m Model, _ tea.Msg) bool { return m.daemon.conn == connUp })
	nm, cmd := m.openLesson(3)
	m = drive(t, nm.(Model), cmd, 20*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(stackMsg); return ok })
	if m.lesson().ID != "commit" {
		t.Fatalf("lesson %s", m.lesson().ID)
	}
	for i := 0; i < 3; i++ { // pull, run, exec
		m = runStepLive(t, m, i)
		if s := m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: i}]; s.Status != engine.Done {
			t.Fatalf("step %d: %v", i+1, s.Err)
		}
	}
	w := m.pic.writable[m.work.eng.Ctr("layerlab-commit-1")]
	if w.Size <= 0 || len(w.Changes) == 0 {
		t.Fatalf("writable layer not read: %+v", w)
	}
	if out := viewText(m); !strings.Contains(out, "A /hello.txt") || !strings.Contains(out, "exit code 0") {
		t.Errorf("the change is not on screen:\n%s", out)
	}
	m = syncSnapshot(t, m)   // as a learner reading the screen would: the daemon's picture is current
	m = runStepLive(t, m, 4) // commit
	s := m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: 4}]
	if s.Status != engine.Done {
		t.Fatalf("commit: %v", s.Err)
	}
	// A pyubuntu:init left on this daemon by something else is not moved: the
	// lesson then uses a name of its own (m.named), which this test follows.
	ref := m.work.eng.Named("pyubuntu:init")
	m = waitStack(t, m, ref)
	m = syncSnapshot(t, m)
	st := m.pic.stacks[ref].stack
	base, err := api.ImageInspect(context.Background(), "busybox:latest")
	if err != nil {
		t.Fatal(err)
	}
	fs := st.FSLayers()
	if len(fs) != len(base.RootFS.Layers)+1 {
		t.Fatalf("committed image has %d layers, base %d", len(fs), len(base.RootFS.Layers))
	}
	out := viewText(m)
	commitOf := "docker commit of sh"
	if cli.IsPodman() {
		commitOf = "docker commit of /bin/sh" // Podman records the command's path
	}
	for _, want := range []string{"Layers · " + ref, "← new", "shared: ", commitOf} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	// Leaving: x asks, then y removes what the lesson made, and nothing else.
	nm, cmd = m.Update(press("x"))
	m = drive(t, nm.(Model), cmd, 30*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(cleanupPlanMsg); return ok })
	if !m.confirm.Open() || !strings.Contains(viewText(m), m.work.eng.Ctr("layerlab-commit-1")) {
		t.Fatalf("x does not ask first:\n%s", viewText(m))
	}
	if _, err := api.ContainerInspect(context.Background(), m.work.eng.Ctr("layerlab-commit-1")); err != nil {
		t.Fatal("x removed before the learner said yes")
	}
	nm, cmd = m.Update(press("y"))
	m = drive(t, nm.(Model), cmd, 30*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(cleanupDoneMsg); return ok })
	if _, err := api.ContainerInspect(context.Background(), m.work.eng.Ctr("layerlab-commit-1")); err == nil {
		t.Error("the lesson container survived x, y")
	}
	if ok, _, _ := m.opts.Client.Exists(context.Background(), "pyubuntu:init"); ok != hadTag {
		t.Errorf("pyubuntu:init there after x, y: %v; the learner's before the test: %v", ok, hadTag)
	}
	if ok, _, _ := m.opts.Client.Exists(context.Background(), ref); ref != "pyubuntu:init" && ok {
		t.Errorf("the lesson's own %s survived x, y", ref)
	}
	if !strings.Contains(viewText(m), "Removed") {
		t.Errorf("no report:\n%s", viewText(m))
	}
}

func waitStack(t *testing.T, m Model, ref string) Model {
	t.Helper()
	if e := m.pic.stacks[ref]; e.found && !e.loading {
		return m
	}
	cli := m.opts.Client
	return drive(t, m, stackCmd(cli, ref), 20*time.Second, func(m Model, msg tea.Msg) bool {
		s, ok := msg.(stackMsg)
		return ok && s.ref == ref
	})
}

func syncSnapshot(t *testing.T, m Model) Model {
	t.Helper()
	return drive(t, m, m.snapshot(), 20*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(snapshotMsg); return ok })
}

// TestAPacksStepsNeverTakeTheLearnersNames: in a lesson pack (an
// instructor's, or anybody's), a commit step whose name is one of the
// learner's images is refused with the reason and the name stays where it
// was; the same for a tag step, and a pack's build keeps names too. (The
// built-in commit lesson does move an existing name: that is what it
// teaches, and its card says so.)
func TestAPacksStepsNeverTakeTheLearnersNames(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	mine := "layerlab-test-learners-name:" + reg.Nonce
	mineID := dockertest.Build(t, api, mine, "FROM scratch\nCMD [\"/x\"]\n", nil)

	m, cmd := liveModel(t, reg.Host)
	m.opts.PackDir = t.TempDir()
	m = drive(t, m, cmd, 20*time.Second, func(m Model, _ tea.Msg) bool { return m.daemon.conn == connUp })
	nm, cmd := m.openLesson(3)
	m = settle(t, nm.(Model), cmd, 20*time.Second)
	t.Cleanup(func() { _ = m.opts.Client.RemoveContainer(context.Background(), "layerlab-commit-1") })
	for i := 0; i < 2; i++ { // pull, run
		if m = runStepLive(t, m, i); m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: i}].Status != engine.Done {
			t.Fatalf("step %d: %v", i+1, m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: i}].Err)
		}
	}
	m.selectStep(4)
	m.settle()
	m = update1(m, press("e"))
	for range 40 {
		m = update1(m, press("backspace"))
	}
	m = typeText(m, mine)
	m = update1(m, press("enter"))
	if got := m.work.eng.Ref(m.lesson(), m.lesson().Steps[4]); got != mine {
		t.Fatalf("the edit is %q", got)
	}
	m = runStepLive(t, m, 4)
	s := m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: 4}]
	if s.Status != engine.Failed || docker.KindOf(s.Err) != docker.KindNotOwned {
		t.Fatalf("a pack's commit onto the learner's name: %v %v", s.Status, s.Err)
	}
	if out := flatten(cardText(m, 4)); !strings.Contains(out, mine+" names an image layerlab did not make ("+docker.ShortID(mineID)+")") {
		t.Errorf("the refusal is not explained:\n%s", viewText(m))
	}
	ref, _ := docker.ParseRef(mine)
	call := engine.Call{Key: engine.StepKey{Lesson: "commit", Index: 4}, Kind: lessons.KindTag, Image: "busybox", Ref: ref}
	msg := callCmd(m.opts.Client, call)().(stepDoneMsg)
	if docker.KindOf(msg.Err) != docker.KindNotOwned {
		t.Errorf("a pack's tag onto the learner's name: %v", msg.Err)
	}
	if was, err := api.ImageInspect(context.Background(), mine); err != nil || was.ID != mineID {
		t.Errorf("the learner's %s moved: %v", mine, err)
	}
}
