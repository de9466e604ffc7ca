package tui

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/engine"
)

// liveModel is the pull lesson on the real daemon, pulling through a test registry.
func liveModel(t testing.TB, mirror string) (Model, tea.Cmd) {
	t.Helper()
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	dockertest.CleanupOwned(t, cli)
	m := New(Options{Client: cli, Lessons: builtin(t), Mirror: mirror, Dark: true, Workspace: t.TempDir()})
	m = update1(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	return m, m.Init()
}

func TestPullStepThroughTheModel(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "python:3.6.0-slim")

	m, cmd := liveModel(t, reg.Host)
	m = drive(t, m, cmd, 20*time.Second, func(m Model, _ tea.Msg) bool { return m.daemon.conn == connUp })
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	m = update1(m, press("n"))
	m = update1(m, press("n")) // step 3: python:3.6.0-slim
	l := m.lesson()
	k := engine.StepKey{Lesson: l.ID, Index: 2}
	if l.Steps[2].Arg != "python:3.6.0-slim" {
		t.Fatalf("step 3 is %+v", l.Steps[2])
	}
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	updates := 0
	m = drive(t, m, cmd, 2*time.Minute, func(m Model, msg tea.Msg) bool {
		if u, ok := msg.(pullUpdateMsg); ok && len(u.progress.Layers) > 0 {
			updates++
		}
		s := m.work.eng.Steps[k]
		e := m.pic.stacks["python:3.6.0-slim"]
		return s.Status != engine.Running && e.found && !e.loading
	})
	s := m.work.eng.Steps[k]
	if s.Status != engine.Done {
		t.Fatalf("step ended %v: %v", s.Status, s.Err)
	}
	if updates == 0 {
		t.Error("no per-layer progress reached the model")
	}
	fin, _, all := s.Progress.Counts()
	if all == 0 || fin != all {
		t.Errorf("progress %d/%d layers", fin, all)
	}
	insp, err := api.ImageInspect(context.Background(), "python:3.6.0-slim")
	if err != nil {
		t.Fatal(err)
	}
	fs := m.pic.stacks["python:3.6.0-slim"].stack.FSLayers()
	if len(fs) != len(insp.RootFS.Layers) {
		t.Fatalf("panel has %d layers, image %d", len(fs), len(insp.RootFS.Layers))
	}
	out := viewText(m)
	for i, l := range fs {
		if l.DiffID != insp.RootFS.Layers[i] {
			t.Errorf("layer %d: %s != %s", i, l.DiffID, insp.RootFS.Layers[i])
		}
		if !strings.Contains(out, docker.ShortID(l.DiffID)) {
			t.Errorf("panel does not show layer %s", docker.ShortID(l.DiffID))
		}
	}
	if !strings.Contains(out, "Layers · python:3.6.0-slim") || !strings.Contains(out, `CMD ["python3"]`) {
		t.Errorf("panel:\n%s", out)
	}
	// The images step then lists the new image, highlighted.
	m = update1(m, press("n"))
	nm, cmd = m.Update(press("enter"))
	m = drive(t, nm.(Model), cmd, 20*time.Second, func(m Model, msg tea.Msg) bool { _, ok := msg.(snapshotMsg); return ok })
	if out := viewText(m); !strings.Contains(out, "python   ") || !strings.Contains(out, "3.6.0-slim") || !strings.Contains(out, "←") {
		t.Errorf("images table:\n%s", out)
	}
}

func TestCancelPullReturnsToCleanState(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	_, before := api.ImageInspect(context.Background(), "busybox:latest")

	m, cmd := liveModel(t, reg.Host)
	m = drive(t, m, cmd, 20*time.Second, func(m Model, _ tea.Msg) bool { return m.daemon.conn == connUp })
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	k := engine.StepKey{Lesson: "pull", Index: 0}
	cancelled := false
	m = drive(t, m, cmd, time.Minute, func(m Model, msg tea.Msg) bool {
		if u, ok := msg.(pullUpdateMsg); ok && len(u.progress.Layers) > 0 && !cancelled {
			cancelled = true
			nm, _ := m.Update(press("esc"))
			m = nm.(Model)
		}
		return m.work.eng.Steps[k].Status != engine.Running
	})
	s := m.work.eng.Steps[k]
	t.Logf("first run ended with status %v: %v", s.Status, s.Err)
	if m.work.running != nil {
		t.Error("still marked running")
	}
	if s.Status == engine.Failed {
		if docker.KindOf(s.Err) != docker.KindCanceled {
			t.Fatalf("failed with %v", s.Err)
		}
		if !strings.Contains(viewText(m), "cancelled") {
			t.Error("the card does not say cancelled")
		}
		if _, err := api.ImageInspect(context.Background(), "busybox:latest"); (err == nil) != (before == nil) {
			t.Error("a cancelled pull changed the busybox:latest tag")
		}
	} // else the pull won the race and finished: nothing to check
	// The app is still usable: the step runs again.
	nm, cmd = m.Update(press("enter"))
	m = drive(t, nm.(Model), cmd, time.Minute, func(m Model, _ tea.Msg) bool { return m.work.eng.Steps[k].Status != engine.Running })
	if m.work.eng.Steps[k].Status != engine.Done {
		t.Fatalf("retry after cancel: %v", m.work.eng.Steps[k].Err)
	}
}

func TestNoDaemonThenRecovers(t *testing.T) {
	dockertest.Daemon(t) // the real daemon must exist to recover to
	real := docker.ResolveEndpoint()
	if !strings.HasPrefix(real.Host, "unix://") {
		t.Skip("needs a unix-socket daemon to proxy to")
	}
	sock := filepath.Join(t.TempDir(), "docker.sock")
	t.Setenv("DOCKER_HOST", "unix://"+sock)
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	m := New(Options{Client: cli, Lessons: builtin(t), Dark: true})
	m = update1(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drive(t, m, m.Init(), 20*time.Second, func(m Model, _ tea.Msg) bool { return m.daemon.conn != connConnecting })
	if m.daemon.conn != connDown || docker.KindOf(m.daemon.connErr) != docker.KindSocketMissing {
		t.Fatalf("conn %v err %v", m.daemon.conn, m.daemon.connErr)
	}
	out := viewText(m)
	for _, want := range []string{"No Docker daemon socket", sock, "DOCKER_HOST", "layerlab keeps trying"} {
		if !strings.Contains(out, want) {
			t.Errorf("list screen lacks %q:\n%s", want, out)
		}
	}
	// Lessons are still readable without a daemon.
	m = update1(m, press("enter"))
	if !strings.Contains(viewText(m), "An image is a packaged") {
		t.Errorf("lesson not readable:\n%s", viewText(m))
	}
	// Now a daemon appears at that address: a proxy to the real one.
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				d, err := net.Dial("unix", strings.TrimPrefix(real.Host, "unix://"))
				if err != nil {
					return
				}
				defer d.Close()
				go io.Copy(d, c) //nolint:errcheck
				io.Copy(c, d)    //nolint:errcheck
			}()
		}
	}()
	nm, cmd := m.Update(press("r"))
	m = drive(t, nm.(Model), cmd, 20*time.Second, func(m Model, _ tea.Msg) bool { return m.daemon.conn != connConnecting })
	if m.daemon.conn != connUp {
		t.Fatalf("did not recover: %v", m.daemon.connErr)
	}
	if out := viewText(m); strings.Contains(out, "No Docker daemon socket") || !strings.Contains(out, "API 1.") {
		t.Errorf("banner still shown or engine missing:\n%s", out)
	}
}
