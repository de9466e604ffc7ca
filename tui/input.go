package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// What a key does where: the root routes a key to the overlay or the
// component that has the focus, and carries out what it chose.

func (m Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Interrupt) {
		return m.quit() // whatever has the focus, even a text field
	}
	if m.width < MinWidth || m.height < MinHeight {
		// The screen says only "make the terminal bigger": no key acts on
		// what it does not show (an x then y would remove unseen things).
		if key.Matches(msg, m.keys.Quit) && m.editor == nil && !m.edit.on && !m.cmd.open {
			return m.quit()
		}
		return m, nil
	}
	if m.editor != nil {
		return m.handleEditorKey(msg)
	}
	if m.edit.on {
		return m.handleEditKey(msg)
	}
	if m.cmd.open {
		var cmd tea.Cmd
		m.cmd, cmd = m.cmd.Update(msg)
		return m, cmd
	}
	m.notice = ""
	if m.confirm.Open() {
		m.confirm, _ = m.confirm.Update(msg)
		if yes := m.confirm.Answer(); yes != nil && m.daemon.conn == connUp && m.idle() {
			p := *yes
			k := engine.StepKey{Lesson: p.Lesson, Index: -1}
			m.work.busy = &k
			m.notice = m.t.CleanupWorking
			return m, cleanupCmd(m.opts.Client, p)
		}
		return m, nil
	}
	if m.helpScr.open {
		// Help is on top: its keys, or quit; nothing opens beneath it.
		if key.Matches(msg, m.keys.Quit) {
			return m.quit()
		}
		m.helpScr, _ = m.helpScr.Update(msg)
		m.nav.still = true // the page beneath is as it was
		return m, nil
	}
	switch {
	case key.Matches(msg, m.keys.Cmd) && m.daemon.conn == connUp:
		var cmd tea.Cmd
		m.cmd, cmd = m.cmd.Open()
		return m, cmd
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.helpScr = m.helpScr.Open(m.helpSections()...)
		m.nav.still = true // the page beneath is as it was
		return m, nil
	case key.Matches(msg, m.keys.Lang) && len(m.opts.Languages) > 1:
		return m.switchLanguage(), nil
	case key.Matches(msg, m.keys.Retry) && m.daemon.conn == connDown:
		m.daemon.conn = connConnecting
		return m, connectCmd(m.opts.Client)
	}
	if m.nav.screen == screenList {
		return m.handleListKey(msg)
	}
	return m.handleLessonKey(msg)
}

func (m Model) handleListKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	m.list, _ = m.list.Update(msg)
	if i, ok := m.list.Chosen(); ok {
		return m.openLesson(i)
	}
	return m, nil
}

func (m Model) handleLessonKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	l := m.lesson()
	if m.nav.focus == focusLayers {
		if m.work.running == nil {
			var cmd tea.Cmd
			if m.pane, cmd = m.pane.Update(msg); m.pane.Took() {
				return m, cmd
			}
		}
	}
	switch {
	case key.Matches(msg, m.keys.Cancel) && m.work.running != nil:
		m.work.running.cancel()
		return m, nil
	case key.Matches(msg, m.keys.Back):
		m.nav.screen = screenList
		return m, nil
	case key.Matches(msg, m.keys.Run):
		return m.runSelected()
	case key.Matches(msg, m.keys.Edit):
		return m.startEdit()
	case key.Matches(msg, m.keys.NextStep):
		m.selectStep(m.work.eng.Selected[l.ID] + 1)
		return m, nil
	case key.Matches(msg, m.keys.PrevStep):
		m.selectStep(m.work.eng.Selected[l.ID] - 1)
		return m, nil
	case key.Matches(msg, m.keys.NextLesson):
		if m.nav.cur+1 < len(m.opts.Lessons) && m.idle() {
			return m.openLesson(m.nav.cur + 1)
		}
		return m, nil
	case key.Matches(msg, m.keys.PrevLesson):
		if m.nav.cur > 0 && m.idle() {
			return m.openLesson(m.nav.cur - 1)
		}
		return m, nil
	case key.Matches(msg, m.keys.Tab):
		if m.nav.focus == focusLesson {
			m.nav.focus = focusLayers
		} else {
			m.nav.focus = focusLesson
		}
		return m, nil
	case key.Matches(msg, m.keys.Hint) && len(l.Steps) > 0:
		if st := l.Steps[min(m.work.eng.Selected[l.ID], len(l.Steps)-1)]; st.Kind == lessons.KindCheck {
			s := m.work.eng.State(engine.StepKey{Lesson: l.ID, Index: st.Index})
			s.Hints = min(s.Hints+1, len(st.HintList()))
			return m, nil
		}
	case key.Matches(msg, m.keys.Remove) && m.idle() && m.daemon.conn == connUp:
		return m, cleanupPlanCmd(m.opts.Client, l.ID)
	case key.Matches(msg, m.keys.Force) && m.idle() && m.daemon.conn == connUp:
		if l, st, ok := m.canForce(); ok {
			nm, cmd := m.runRemoval(l, st, true)
			return nm, cmd
		}
	case key.Matches(msg, m.keys.OpenLine) && m.idle():
		if l, st, rel, line, ok := m.failedAt(); ok {
			nm, cmd := m.openFile(l, st, rel, line)
			return nm, cmd
		}
	case key.Matches(msg, m.keys.Retry), key.Matches(msg, m.keys.Refresh):
		return m, tea.Batch(m.snapshot(), m.loadPanel())
	}
	var cmd tea.Cmd
	m.page, cmd = m.page.Update(msg)
	m.nav.still = true // the page scrolled: what it shows is as it was
	return m, cmd
}

func (m Model) openLesson(i int) (tea.Model, tea.Cmd) {
	m.nav.cur, m.list.cursor = i, i
	m.nav.screen = screenLesson
	m.nav.focus = focusLesson
	m.pane = m.pane.Reset()
	m.page.Top()
	// Its exercises are shown from now, and judged on the picture as it is.
	check := m.judgeShown()
	l := m.lesson()
	if m.opts.Workspace != "" && engine.UsesWorkspace(l) {
		// Read again at every opening: the learner may have changed a file
		// from their own terminal since.
		return m, tea.Batch(check, m.loadPanel(), workspaceCmd(m.opts.Workspace, m.opts.PackDir, m.opts.Lang, l))
	}
	return m, tea.Batch(check, m.loadPanel())
}

func (m *Model) selectStep(i int) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 {
		return
	}
	i = min(max(i, 0), len(l.Steps)-1)
	m.work.eng.Selected[l.ID] = i
	m.scrollToStep(i)
}

// scrollToStep asks for step i's card to be brought into view if it is
// not, once the page is made again (settle).
func (m *Model) scrollToStep(i int) { m.nav.scrollTo = i + 1 }

// revealStep scrolls, when a step has finished, so that what it printed is in view.
func (m *Model) revealStep(i int) { m.page.RevealStep(i) }

// selectedStatus is the state of the step selected in the open lesson.
func (m Model) selectedStatus() (int, engine.Status) {
	l := m.lesson()
	if l == nil || m.nav.screen != screenLesson {
		return -1, engine.Idle
	}
	i := m.work.eng.Selected[l.ID]
	if s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: i}]; s != nil {
		return i, s.Status
	}
	return i, engine.Idle
}

// idle reports whether no step is running.
func (m Model) idle() bool { return m.work.running == nil && m.work.busy == nil }

func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.work.running != nil {
		m.work.running.cancel()
	}
	m.daemon.events.quitting = true
	if m.daemon.events.cancel != nil {
		m.daemon.events.cancel()
	}
	if (len(m.work.started) > 0 || m.work.busy != nil || m.work.running != nil) && m.daemon.conn == connUp {
		// A step in flight may have started a container the app has not
		// heard of yet: the ledger knows it as this window's.
		// The containers this session started do not outlive it.
		ids := map[string]bool{}
		for _, sc := range m.work.started {
			ids[sc.id] = true
		}
		c := m.opts.Client
		return m, tea.Sequence(removeLessonContainers(c, "", func(id string) bool { return ids[id] || c.StartedHere(id) }), tea.Quit)
	}
	return m, tea.Quit
}

// QuitMsg asks the app to end as q does (the terminal was closed: SIGHUP;
// or the system asks: SIGTERM): this window's containers removed, then quit.
type QuitMsg struct{}

// startedContainer is a container this window started.
type startedContainer struct{ lesson, id string }
