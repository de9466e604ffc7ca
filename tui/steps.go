package tui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

func (m Model) runSelected() (tea.Model, tea.Cmd) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 {
		return m, nil
	}
	st := l.Steps[m.work.eng.Selected[l.ID]]
	nm, cmd := m.runStep(l, st)
	nm.scrollToStep(st.Index)
	return nm, cmd
}

func (m Model) runStep(l *lessons.Lesson, st *lessons.Step) (Model, tea.Cmd) {
	// A step has the daemon to itself: a read-ahead of layers stops.
	m.pane.StopAhead()
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	s := m.work.eng.State(k)
	s.Note = engine.NoteNone
	switch {
	case !m.idle():
		s.Note = engine.NoteBusy
		return m, nil
	case m.daemon.conn != connUp && st.Kind != lessons.KindDockerfile && st.Kind != lessons.KindAppend: // editing a file needs no daemon
		s.Note = engine.NoteNeedsDaemon
		return m, nil
	}
	switch st.Kind {
	case lessons.KindPull:
		ref, err := m.work.eng.PreparePull(l, st)
		if err != nil {
			s.Status, s.Err = engine.Failed, err
			return m, nil
		}
		m.work.eng.Begin(k, m.opts.Now())
		m.pic.opKnown = m.knownLayers()
		// Running from now: esc stops it even before it reports anything.
		ctx, cancel := context.WithCancel(context.Background())
		m.work.running = &runningOp{key: k, cancel: cancel}
		return m, tea.Batch(startPull(ctx, cancel, m.opts.Client, k, ref, m.opts.Mirror, m.opts.StreamInterval), m.look.spin.Tick)
	case lessons.KindImages, lessons.KindPs, lessons.KindVolumes:
		// Running until the daemon answers this read: done with its answer,
		// never with the list the screen had.
		m.work.eng.Begin(k, m.opts.Now())
		m.work.busy = &k
		return m, tea.Batch(m.tableRead(k), m.look.spin.Tick)
	case lessons.KindRmi:
		return m.runRemoval(l, st, false)
	case lessons.KindDockerfile:
		return m.openEditor(l, st)
	case lessons.KindCheck:
		check := m.checkExercises()
		return m, tea.Batch(check, m.snapshot())
	case lessons.KindBuild:
		return m.runBuild(l, st)
	case lessons.KindAppend:
		// A line added to a file of the workspace: no daemon, done at once.
		dir, ok := m.work.workspaces[l.ID]
		if !ok {
			s.Note, s.NoteArg = engine.NoteFileMissing, st.Arg
			return m, nil
		}
		m.work.eng.Begin(k, m.opts.Now())
		m.work.eng.FinishAppend(st, k, dir, m.opts.Now())
		return m, nil
	}
	if run, gone := m.work.eng.GoneContainer(l, st); gone {
		// Its container is not on the daemon any more: the step that
		// started it starts it again, first.
		s.Note, s.NoteArg, s.NoteStep = engine.NoteContainerGone, m.work.eng.Ctr(st.Arg), run.Index+1
		return m, nil
	}
	call, ok, err := m.work.eng.Prepare(l, st)
	switch {
	case !ok:
		return m, nil
	case err != nil:
		s.Status, s.Err = engine.Failed, err
		return m, nil
	}
	if st.Kind == lessons.KindSave || st.Kind == lessons.KindTarList || st.Kind == lessons.KindLoad {
		dir, ok := m.work.workspaces[l.ID]
		if !ok {
			s.Note, s.NoteArg = engine.NoteFileMissing, call.File
			return m, nil
		}
		call.Dir = dir
	}
	if dir, ok := m.work.workspaces[l.ID]; ok {
		call.InWorkspace(dir) // a bind mount of a folder of the workspace
	}
	m.work.eng.Begin(k, m.opts.Now())
	m.pic.opKnown = m.knownLayers()
	m.work.busy = &k
	return m, tea.Batch(callCmd(m.opts.Client, call), m.look.spin.Tick)
}

func (m Model) pullDone(msg pullDoneMsg) (tea.Model, tea.Cmd) {
	m.work.running = nil
	s := m.work.eng.FinishPull(msg.key, msg.result, msg.err, msg.at)
	if msg.err != nil {
		if docker.IsConnection(msg.err) && docker.KindOf(msg.err) != docker.KindInterrupted {
			m.daemon.conn, m.daemon.connErr = connDown, msg.err
		}
		return m, m.snapshot()
	}
	res := s.Result
	return m, tea.Batch(m.snapshot(), m.showNewImage(msg.key.Lesson, res.Ref.String(), res.ImageID))
}

// showNewImage points the lesson's panel at an image a step just made or
// pulled. Layers that were not on the daemon before are marked new when its
// stack arrives, for a few seconds.
// knownLayers is every layer the daemon holds, as far as the model knows.
func (m Model) knownLayers() map[string]bool {
	known := map[string]bool{}
	for _, ids := range m.pic.diffIDs {
		for _, d := range ids {
			known[d] = true
		}
	}
	return known
}

func (m *Model) showNewImage(lesson, ref, imageID string) tea.Cmd {
	// What was there when the operation started: the daemon's event for the
	// new image usually brings its layers into diffIDs before the
	// operation's own answer arrives, and they would all count as known.
	known := m.pic.opKnown
	if known == nil {
		known = m.knownLayers()
	}
	m.pic.opKnown = nil
	m.pic.panelRef[lesson] = ref
	delete(m.pic.removal, lesson)
	m.pic.lastPulledID = imageID
	m.pic.highlightGen++
	m.pic.newLayers = map[string]bool{}
	m.pic.knownBefore = known
	e := m.pic.stacks[ref]
	e.loading = true
	m.pic.stacks[ref] = e
	return tea.Batch(stackCmd(m.opts.Client, ref), clearHighlightAfter(m.pic.highlightGen), m.pane.ReadAhead(imageID))
}

func (m Model) startEdit() (tea.Model, tea.Cmd) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 || !m.idle() {
		return m, nil
	}
	st := l.Steps[m.work.eng.Selected[l.ID]]
	if !engine.Editable(st.Kind) {
		return m, nil
	}
	m.edit.input.Prompt = m.t.EditPrompt
	if st.Kind == lessons.KindExec {
		m.edit.input.Prompt = m.t.EditCmdPrompt
	}
	m.edit.on = true
	m.edit.input.SetValue(m.work.eng.Ref(l, st))
	m.edit.input.CursorEnd()
	cmd := m.edit.input.Focus()
	m.scrollToStep(st.Index)
	return m, cmd
}

func (m Model) handleEditKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	l := m.lesson()
	st := l.Steps[m.work.eng.Selected[l.ID]]
	switch {
	case key.Matches(msg, m.keys.EditCancel):
		m.edit.on = false
		m.edit.input.Blur()
		return m, nil
	case key.Matches(msg, m.keys.EditKeep):
		v := strings.TrimSpace(m.edit.input.Value())
		if err := engine.ValidateEdit(st.Kind, v); err != nil {
			return m, nil // the rule it breaks is on screen under the input
		}
		s := m.work.eng.State(engine.StepKey{Lesson: l.ID, Index: st.Index})
		s.Ref = v
		if s.Status != engine.Running {
			*s = engine.StepState{Ref: v}
		}
		m.edit.on = false
		m.edit.input.Blur()
		m.scrollToStep(st.Index)
		return m, nil
	}
	var cmd tea.Cmd
	m.edit.input, cmd = m.edit.input.Update(msg)
	return m, cmd
}
