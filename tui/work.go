package tui

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/layerlab/layerlab/lessons/engine"
)

// The learner's work: the news of a step as it runs and ends, the
// workspace and the editor's saves, the spinner.

// handleStepMsg takes the news of a step: a pull or build as it goes, a
// one-call step's end, the workspace and the editor's saves, the spinner.
func (m Model) handleStepMsg(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case opStartedMsg:
		m.work.running = &runningOp{key: msg.key, cancel: msg.cancel}
		m.work.busy = nil
		return m, msg.next, true
	case pullUpdateMsg:
		if s := m.work.eng.Steps[msg.key]; s != nil && s.Status == engine.Running {
			s.Observe(msg.progress, msg.at)
			m.daemon.streamAt = msg.at
			// A picture that looks as the last one did changes nothing on
			// screen (the panel's percents are in its key too).
			m.nav.sameFrame = !m.refreshStep(msg.key)
		}
		return m, msg.next, true
	case pullDoneMsg:
		return handled(m.pullDone(msg))
	case buildUpdateMsg:
		return handled(m.buildUpdate(msg))
	case buildDoneMsg:
		return handled(m.buildDone(msg))
	case workspaceMsg:
		if msg.err != nil {
			m.notice = tr(m.t.WorkspaceErrFmt, msg.err)
			var le *engine.LinkError
			if errors.As(msg.err, &le) {
				m.notice = tr(m.t.WorkspaceLinkFmt, le.Path)
			}
			return m, nil, true
		}
		m.work.workspaces[msg.lesson] = msg.dir
		for rel, text := range msg.files {
			m.work.files[fileKey(msg.lesson, rel)] = text
		}
		for rel, err := range msg.refused {
			m.work.refused[fileKey(msg.lesson, rel)] = err
		}
		return m, nil, true
	case fileSavedMsg:
		m = m.fileSaved(msg)
		return m, nil, true
	case diskReadMsg:
		nm, cmd := m.diskRead(msg)
		return nm, cmd, true
	case stepDoneMsg:
		return handled(m.stepDone(msg))
	case writableMsg:
		if msg.err != nil {
			delete(m.pic.writable, msg.name)
		} else {
			m.pic.writable[msg.name] = msg.layer
		}
		return m, nil, true
	case spinner.TickMsg:
		if m.work.running == nil {
			m.nav.sameFrame = true
			return m, nil, true
		}
		var cmd tea.Cmd
		m.look.spin, cmd = m.look.spin.Update(msg)
		// The spinner's frame shows in the running card only: a tick that
		// does not draw it changes nothing on screen.
		m.nav.sameFrame = true
		if msg.Time.Sub(m.daemon.streamAt) > m.spinnerQuiet() {
			// While a stream updates the screen, the spinner's frame rides
			// along with it instead of adding redraws of its own.
			m.nav.sameFrame = !m.refreshStep(m.work.running.key)
		}
		return m, cmd, true
	case clearHighlightMsg:
		if msg.gen == m.pic.highlightGen {
			m.pic.newLayers = map[string]bool{}
			m.pic.lastPulledID = ""
		}
		return m, nil, true
	}
	if m.edit.on {
		var cmd tea.Cmd
		m.edit.input, cmd = m.edit.input.Update(msg)
		return m, cmd, true
	}
	return m, nil, false
}

// runningOp is the long operation (pull or build) in flight.
type runningOp struct {
	key    engine.StepKey
	cancel context.CancelFunc
}

// spinnerQuiet is how long after a stream's update the spinner redraws by
// itself again, at the least.
const spinnerQuiet = 100 * time.Millisecond

// spinnerQuiet is how long after a stream's update the spinner redraws by
// itself again: longer than the stream's pace (a classroom server's 5
// pictures a second), so that while pictures come the spinner draws only
// with them.
func (m Model) spinnerQuiet() time.Duration {
	every := m.opts.StreamInterval
	if every <= 0 {
		every = DefaultStreamInterval
	}
	return max(spinnerQuiet, every+every/2)
}

// lessonWork is the learner's work: the lesson engine's session (each
// step's state, the step chosen in each lesson, the names taken instead of
// the learner's), what runs, the containers started, the workspaces.
type lessonWork struct {
	eng     *engine.Session
	running *runningOp
	busy    *engine.StepKey // a one-call step (run, exec, diff, commit) in flight
	// started are the containers this session started, by name, with their
	// lesson and id: quitting removes these, not another window's.
	started map[string]startedContainer
	// workspaces are the lessons' workspace folders, once made; files the
	// Dockerfiles their steps name, by fileKey.
	workspaces map[string]string
	files      map[string]string
	// refused are the Dockerfiles that are not opened, and why (a
	// *engine.FileError: too large, not text, not a plain file).
	refused map[string]error
	// drafts are the learner's edits a save did not write (the file had
	// changed on disk), by fileKey, kept for the editor's next opening.
	drafts map[string]string
	// saved is the progress as last saved.
	saved *savedProgress
}
