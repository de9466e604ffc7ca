package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// Issue 28, 10: SIGHUP and SIGTERM killed the app at once, leaving the
// terminal in the alternate screen and this window's containers running.
// main sends QuitMsg on either: the app ends as q ends it.
func TestQuitMsgEndsAsQDoes(t *testing.T) {
	t.Parallel()
	m := testModel(t, 100, 30)
	m = update1(m, connectedMsg{engine: testEngine})
	m.work.started["layerlab-box-1"] = startedContainer{lesson: "containers", id: "abc"}
	nm, cmd := m.Update(QuitMsg{})
	if !nm.(Model).daemon.events.quitting || cmd == nil {
		t.Fatal("QuitMsg did not quit")
	}
	seq, ok := sequence(cmd())
	if !ok || len(seq) != 2 {
		t.Fatalf("QuitMsg's command is not (remove this window's containers, then quit): %T", cmd())
	}
	if _, isQuit := seq[1]().(tea.QuitMsg); !isQuit {
		t.Error("the app does not quit after removing its containers")
	}
}

// Issue 28, 11: at 10x5 (the "make the terminal bigger" screen) x then y
// still removed a container. No key acts on what is not on screen.
func TestNoKeyActsOnATooSmallScreen(t *testing.T) {
	t.Parallel()
	m, _ := openAt(t, 100, 30, "commit", func(*lessons.Step) bool { return true })
	m = update1(m, tea.WindowSizeMsg{Width: 10, Height: 5})
	for _, k := range []string{"x", "y", "enter", "n", ":", "e"} {
		nm, cmd := m.Update(press(k))
		m = nm.(Model)
		if cmd != nil {
			if msg := cmd(); msg != nil {
				t.Errorf("%s on a too-small screen did something: %T", k, msg)
			}
		}
	}
	if m.confirm.Open() || m.cmd.open {
		t.Error("a key opened what the screen does not show")
	}
	if _, cmd := m.Update(press("q")); cmd == nil {
		t.Error("q does not quit on a too-small screen")
	}
}

// Issue 28, 11: the x question was cut at 80 columns; every name is on
// screen before yes.
func TestTheRemovalQuestionShowsEveryName(t *testing.T) {
	t.Parallel()
	m := testModel(t, 80, 24)
	m = update1(m, connectedMsg{engine: testEngine})
	plan := docker.CleanupPlan{Lesson: "commit"}
	for _, n := range []string{"layerlab-commit-1", "pyubuntu:init-3", "pyubuntu:init-3-with-a-long-name", "sha256:0123456789ab"} {
		plan.Items = append(plan.Items, docker.CleanupItem{Kind: docker.ItemTag, Name: n})
	}
	m.confirm = m.confirm.Ask(plan, "")
	m.layout()
	view := strings.Join(strings.Fields(viewText(m)), " ")
	for _, it := range plan.Items {
		if !strings.Contains(view, it.Name) {
			t.Errorf("%s is not on the 80x24 screen before yes:\n%s", it.Name, viewText(m))
		}
	}
	for _, line := range strings.Split(viewText(m), "\n") {
		if ansiWidth(line) > 80 {
			t.Errorf("a line wider than the screen: %q", line)
		}
	}
}
