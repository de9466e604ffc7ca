package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
)

// runStepLive selects step i of the open lesson, runs it and waits for it to end.
func runStepLive(t *testing.T, m Model, i int) Model {
	t.Helper()
	m.selectStep(i)
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	k := stepKey{m.lesson().ID, i}
	return drive(t, m, cmd, 2*time.Minute, func(m Model, msg tea.Msg) bool {
		_, w := msg.(writableMsg)
		s := m.steps[k]
		return s != nil && s.status != stepRunning && (w || s.status == stepFailed || m.lesson().Steps[i].Kind == "pull")
	})
}

func TestCommitLessonThroughTheModel(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	dockertest.PreserveTag(t, api, "pyubuntu:init")
	// A pyubuntu:init of the learner's (no layerlab label) must survive x;
	// one an earlier layerlab run made is layerlab's to remove.
	prev, err := api.ImageInspect(context.Background(), "pyubuntu:init")
	hadTag := err == nil && (prev.Config == nil || prev.Config.Labels[docker.LabelOwned] != "true")

	m, cmd := liveModel(t, reg.Host)
	m = drive(t, m, cmd, 20*time.Second, func(m Model, _ tea.Msg) bool { return m.conn == connUp })
	nm, cmd := m.openLesson(3)
	m = drive(t, nm.(Model), cmd, 20*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(stackMsg); return ok })
	if m.lesson().ID != "commit" {
		t.Fatalf("lesson %s", m.lesson().ID)
	}
	t.Cleanup(func() {
		cli, _ := docker.New(docker.ResolveEndpoint())
		_ = cli.RemoveContainer(context.Background(), "layerlab-commit-1")
	})
	for i := 0; i < 3; i++ { // pull, run, exec
		m = runStepLive(t, m, i)
		if s := m.steps[stepKey{"commit", i}]; s.status != stepDone {
			t.Fatalf("step %d: %v", i+1, s.err)
		}
	}
	w := m.writable["layerlab-commit-1"]
	if w.Size <= 0 || len(w.Changes) == 0 {
		t.Fatalf("writable layer not read: %+v", w)
	}
	if out := viewText(m); !strings.Contains(out, "A /hello.txt") || !strings.Contains(out, "exit code 0") {
		t.Errorf("the change is not on screen:\n%s", out)
	}
	m = syncSnapshot(t, m)   // as a learner reading the screen would: the daemon's picture is current
	m = runStepLive(t, m, 4) // commit
	s := m.steps[stepKey{"commit", 4}]
	if s.status != stepDone {
		t.Fatalf("commit: %v", s.err)
	}
	m = waitStack(t, m, "pyubuntu:init")
	m = syncSnapshot(t, m)
	st := m.stacks["pyubuntu:init"].stack
	base, err := api.ImageInspect(context.Background(), "busybox:latest")
	if err != nil {
		t.Fatal(err)
	}
	fs := st.FSLayers()
	if len(fs) != len(base.RootFS.Layers)+1 {
		t.Fatalf("committed image has %d layers, base %d", len(fs), len(base.RootFS.Layers))
	}
	out := viewText(m)
	for _, want := range []string{"Layers · pyubuntu:init", "← new", "shared: ", "commit: "} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	// Leaving: x asks, then y removes what the lesson made, and nothing else.
	nm, cmd = m.Update(press("x"))
	m = drive(t, nm.(Model), cmd, 30*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(cleanupPlanMsg); return ok })
	if m.confirm == nil || !strings.Contains(viewText(m), "layerlab-commit-1") {
		t.Fatalf("x does not ask first:\n%s", viewText(m))
	}
	if _, err := api.ContainerInspect(context.Background(), "layerlab-commit-1"); err != nil {
		t.Fatal("x removed before the learner said yes")
	}
	nm, cmd = m.Update(press("y"))
	m = drive(t, nm.(Model), cmd, 30*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(cleanupDoneMsg); return ok })
	if _, err := api.ContainerInspect(context.Background(), "layerlab-commit-1"); err == nil {
		t.Error("the lesson container survived x, y")
	}
	if ok, _, _ := m.opts.Client.Exists(context.Background(), "pyubuntu:init"); ok != hadTag {
		t.Errorf("pyubuntu:init there after x, y: %v; the learner's before the test: %v", ok, hadTag)
	}
	if !strings.Contains(viewText(m), "Removed") {
		t.Errorf("no report:\n%s", viewText(m))
	}
}

func waitStack(t *testing.T, m Model, ref string) Model {
	t.Helper()
	if e := m.stacks[ref]; e.found && !e.loading {
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
