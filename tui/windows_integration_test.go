package tui

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
)

// Issue 28, 6: q in one window removed the other window's running lesson
// containers (quit removed every container in the ledger). It removes the
// ones this window started; another window's, on the same state folder,
// stay running.
func TestQuitRemovesOnlyThisWindowsContainers(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	ledger := filepath.Join(t.TempDir(), "owned.json")

	m, cmd := liveModel(t, reg.Host)
	realClient(t, m).UseLedger(docker.OpenLedger(ledger))
	m = settle(t, m, cmd, 30*time.Second)
	if m.daemon.conn != connUp {
		t.Fatalf("not connected: %v", m.daemon.connErr)
	}
	// This window runs the first lesson with a run step, up to it.
	var mine string
	for i, l := range m.opts.Lessons {
		run := -1
		for _, st := range l.Steps {
			if st.Kind == lessons.KindRun {
				run = st.Index
				break
			}
		}
		if run < 0 {
			continue
		}
		nm, cmd := m.openLesson(i)
		m = settle(t, nm.(Model), cmd, 30*time.Second)
		for _, st := range l.Steps[:run+1] {
			if st.Kind == lessons.KindCheck || st.Kind == lessons.KindDockerfile {
				continue
			}
			m.selectStep(st.Index)
			m.settle()
			nm, cmd := m.Update(press("enter"))
			m = settle(t, nm.(Model), cmd, 2*time.Minute)
		}
		for _, sc := range m.work.started {
			mine = sc.id
		}
		break
	}
	if mine == "" {
		t.Fatal("this window started no container: the test proves nothing")
	}
	// The other window, on the same state folder, starts one of its own.
	other, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.UseLedger(docker.OpenLedger(ledger))
	ctx := context.Background()
	theirs, err := other.Run(ctx, docker.RunOptions{Image: "busybox:latest", Name: "layerlab-test-otherwindow-" + reg.Nonce, Lesson: "commit", Cmd: []string{"sleep", "600"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.RemoveContainer(context.Background(), theirs.ID) })

	// x in this window (remove what the lesson made) leaves the other
	// window's container alone: it may be open, its next step needs it.
	plan := cleanupPlanCmd(m.opts.Client, "commit")().(cleanupPlanMsg)
	for _, it := range plan.plan.Items {
		if it.ID == theirs.ID {
			t.Error("x in this window would remove the other window's container")
		}
	}
	_, cmd = m.quit()
	settle(t, m, cmd, 30*time.Second)
	if _, err := api.ContainerInspect(ctx, mine); err == nil {
		t.Error("quitting left this window's container")
	}
	insp, err := api.ContainerInspect(ctx, theirs.ID)
	if err != nil || !insp.State.Running {
		t.Errorf("quitting one window removed or stopped the other window's container: %v", err)
	}
}
