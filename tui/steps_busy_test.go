package tui

import (
	"testing"

	"github.com/layerlab/layerlab/lessons/engine"
)

// TestTheBusyNoteGoesWhenTheStepEnds: enter on a step while another runs
// says so on its card; once nothing runs, the note is gone (found by a
// learner: "another step is running" stayed after the step had ended).
func TestTheBusyNoteGoesWhenTheStepEnds(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m = update1(m, press("enter")) // the first lesson
	l := m.lesson()
	k := engine.StepKey{Lesson: l.ID, Index: 0}
	busy := engine.StepKey{Lesson: l.ID, Index: 1}
	m.work.busy = &busy
	m = update1(m, press("enter"))
	if s := m.work.eng.State(k); s.Note != engine.NoteBusy {
		t.Fatalf("enter while a step runs: note %v", s.Note)
	}
	m.work.busy = nil
	m = update1(m, press("j"))
	if s := m.work.eng.State(k); s.Note == engine.NoteBusy {
		t.Error("the busy note stayed after the step ended")
	}
}
