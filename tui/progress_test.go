package tui

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// TestQuitAndComeBackToTheSamePlace: steps done and the place in the lesson
// are saved as the learner goes, and a new session starts there.
func TestQuitAndComeBackToTheSamePlace(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "progress-builtin.json")
	m := testModel(t, 120, 40)
	m.opts.ProgressPath = path
	m = update1(m, connectedMsg{engine: testEngine})
	nm, cmd := m.openLesson(3) // commit
	m = pump(context.Background(), nm.(Model), cmd, nil)
	m.selectStep(1)
	m.settle()
	nm, _ = m.Update(press("enter")) // run step 2 (not executed here)
	m = nm.(Model)
	ct := docker.Container{ID: "7a1b2c3d4e5f", Name: "layerlab-commit-1", Image: "busybox", State: "running"}
	nm, cmd = m.Update(stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "commit", Index: 1}, At: fixedNow, Container: &ct}})
	m = nm.(Model)
	m.selectStep(2)
	m.settle()
	_, cmd2 := m.Update(press("p")) // moving saves the place too
	for _, c := range []tea.Cmd{cmd, cmd2} {
		_ = pump(context.Background(), m, onlySaves(c), nil)
	}
	p, note := lessons.LoadProgress(path)
	if note != "" || !p.IsDone("commit", 1) || p.Lesson != "commit" {
		t.Fatalf("saved %+v %q", p, note)
	}

	// A new session, as main starts it.
	m2 := New(Options{Client: m.opts.Client, Lessons: m.opts.Lessons, Dark: true, Now: func() time.Time { return fixedNow },
		Progress: p, ProgressPath: path})
	m2 = update1(m2, tea.WindowSizeMsg{Width: 120, Height: 40})
	if m2.nav.screen != screenLesson || m2.lesson().ID != "commit" || m2.work.eng.Selected["commit"] != p.Step {
		t.Fatalf("not back in place: screen %v lesson %s step %d", m2.nav.screen, m2.lesson().ID, m2.work.eng.Selected["commit"])
	}
	if s := m2.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: 1}]; s == nil || s.Status != engine.Done {
		t.Error("the step done before is not done")
	}
	if done, _ := m2.lessonProgress(m2.lesson()); done != 1 {
		t.Errorf("lesson progress %d", done)
	}
}

// onlySaves keeps the messages of c that are not daemon calls: the test has
// no daemon, only a progress file.
func onlySaves(c tea.Cmd) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := c().(type) {
		case tea.BatchMsg:
			var keep []tea.Cmd
			for _, x := range msg {
				keep = append(keep, onlySaves(x))
			}
			return tea.BatchMsg(keep)
		case progressErrMsg, nil:
			return msg
		}
		return nil
	}
}
