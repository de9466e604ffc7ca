package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// Issue 28, 10: SIGHUP and SIGTERM killed the app at once, leaving the
// terminal in the alternate screen and this window's containers running.
// main sends QuitMsg on either: the app ends as q ends it.
func TestQuitMsgEndsAsQDoes(t *testing.T) {
	t.Parallel()
	m := testModel(t, 100, 30)
	m = update1(m, connectedMsg{engine: testEngine})
	m.started["layerlab-box-1"] = startedContainer{lesson: "containers", id: "abc"}
	nm, cmd := m.Update(QuitMsg{})
	if !nm.(Model).events.quitting || cmd == nil {
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
