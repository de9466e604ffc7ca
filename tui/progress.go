package tui

import (
	"errors"
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Where the learner is and what they did: the progress restored and
// saved, the lesson opened at start, the instructor's view of it.

// restoreProgress marks the steps done before as done, and puts the learner
// back where they were.
func (m *Model) restoreProgress(p lessons.Progress) {
	m.work.saved = &savedProgress{p: p}
	if i := m.work.eng.Restore(m.opts.Lessons, p); i >= 0 {
		m.nav.cur, m.list.cursor, m.nav.resume = i, i, true
	}
}

// openAtStart opens lesson id once the screen has a size (as a resumed
// lesson opens), at the step the learner was on in it, if any.
func (m *Model) openAtStart(id string) {
	for i, l := range m.opts.Lessons {
		if l.ID == id {
			m.nav.cur, m.list.cursor, m.nav.resume = i, i, true
		}
	}
}

// CheckLesson says, in the learner's language, when id names none of the
// lessons ("" is fine: nothing asked).
func CheckLesson(o Options, id string) error {
	if id == "" {
		return nil
	}
	for _, l := range o.Lessons {
		if l.ID == id {
			return nil
		}
	}
	t := o.Strings
	if t.AppName == "" {
		t = i18n.For(o.Lang)
	}
	return errors.New(i18n.NoLessonText(&t, id, o.Lessons))
}

// progress is what the learner has done, as it stands.
func (m Model) progress() lessons.Progress {
	p := m.work.eng.Progress()
	if l := m.lesson(); l != nil && m.nav.screen == screenLesson {
		p.Lesson, p.Step = l.ID, m.work.eng.Selected[l.ID]
	} else if m.work.saved != nil && m.nav.screen != screenLesson {
		p.Lesson, p.Step = "", 0
	}
	return p
}

// progressCmd saves the progress when it changed since the last save, and
// keeps it as the last saved (a new value: models handed out before keep
// theirs).
func (m *Model) progressCmd() tea.Cmd {
	if m.opts.ProgressPath == "" || m.work.saved == nil || m.width == 0 {
		return nil
	}
	p := m.progress()
	if reflect.DeepEqual(p, m.work.saved.p) {
		return nil
	}
	m.work.saved = &savedProgress{p: p}
	path := m.opts.ProgressPath
	return func() tea.Msg {
		if err := lessons.SaveProgress(path, p); err != nil {
			return progressErrMsg{err}
		}
		return nil
	}
}

// progressErrMsg says the progress could not be saved.
type progressErrMsg struct{ err error }

// savedProgress is the last progress saved; a save replaces it, never
// writes into it.
type savedProgress struct{ p lessons.Progress }

// Where is where a learner is in the course, for an instructor's view: the
// lesson open ("" on the list), the step selected and how it stands, since
// when it stands so, and the language shown.
type Where struct {
	Lesson, LessonTitle string
	Step                int
	StepTitle           string
	Status              engine.Status
	// Exercise: the step is an exercise (Done when the daemon saw it done).
	Exercise bool
	// Since is when the step started (a running or failed step), zero otherwise.
	Since time.Time
	Lang  string
	// Connected: the daemon answers.
	Connected bool
}

// Where the learner is now.
func (m Model) Where() Where {
	w := Where{Lang: m.opts.Lang, Step: -1, Connected: m.daemon.conn == connUp}
	l := m.lesson()
	if l == nil || m.nav.screen != screenLesson {
		return w
	}
	w.Lesson, w.LessonTitle = l.ID, l.Title
	i, st := m.selectedStatus()
	w.Step, w.Status = i, st
	if i >= 0 && i < len(l.Steps) {
		w.StepTitle, w.Exercise = l.Steps[i].Title, l.Steps[i].Kind == lessons.KindCheck
		if s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: i}]; s != nil && (st == engine.Running || st == engine.Failed) {
			w.Since = s.Started
		}
	}
	return w
}
