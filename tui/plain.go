package tui

import (
	"context"
	"errors"
	"fmt"
	"github.com/layerlab/layerlab/tui/i18n"
	"io"
	"strings"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// PlainOptions say which lesson --plain prints, and whether it runs the steps.
type PlainOptions struct {
	// Lesson is the lesson's id; "" lists the lessons.
	Lesson string
	// Run runs each step against the daemon as a script; false only prints
	// (a handout).
	Run   bool
	Width int
}

// RunPlain is layerlab without a screen: for screen readers, logs and
// handouts. It prints a lesson as plain text and, with Run, runs its steps one
// after the other through the same model the interface uses, printing each
// step's progress line by line and its result. It stops at the first step
// that fails (unless the lesson expects that failure).
func RunPlain(ctx context.Context, w io.Writer, o Options, p PlainOptions) error {
	o.NoColor, o.DetectTheme, o.Live = true, false, false
	if p.Width <= 0 {
		p.Width = 80
	}
	m := New(o)
	m = m.update(tea.WindowSizeMsg{Width: max(p.Width, wideWidth) + 2, Height: 60})
	t := m.t
	if p.Lesson == "" {
		fmt.Fprintln(w, t.ListIntro)
		for i, l := range m.opts.Lessons {
			fmt.Fprintf(w, "  %d. %s (%s)\n", i+1, l.Title, l.ID)
		}
		fmt.Fprintln(w, "\n"+t.PlainUsage)
		return nil
	}
	idx := -1
	for i, l := range m.opts.Lessons {
		if l.ID == p.Lesson {
			idx = i
		}
	}
	if idx < 0 {
		return errors.New(tr(t.PlainNoLessonFmt, p.Lesson))
	}
	out := &plainOut{w: w, width: p.Width, phases: map[string]docker.Phase{}}
	if p.Run {
		m = pump(ctx, m, m.Init(), out.progress)
		if m.conn != connUp {
			return errors.New(i18n.ErrorText(*t, m.connErr))
		}
	}
	nm, cmd := m.openLesson(idx)
	m = nm.(Model)
	if p.Run {
		m = pump(ctx, m, cmd, out.progress)
	}
	l := m.lesson()
	out.line("# " + l.Title)
	for i, part := range l.Parts {
		if part.Step == nil {
			out.line("")
			out.block(m.md.render(l.File+"#plain", i, lessons.ForPlain(part.Markdown), p.Width))
			continue
		}
		st := part.Step
		out.line("")
		out.line(tr("── "+t.StepFmt, st.Index+1, st.Title))
		out.line("$ " + m.commandFor(l, st))
		if !p.Run {
			if st.Kind == lessons.KindDockerfile {
				out.block(m.dockerfileCard(l, st, p.Width))
			}
			continue
		}
		var err error
		m, err = m.plainStep(ctx, l, st, out)
		if err != nil {
			return err
		}
	}
	return nil
}

// plainStep runs one step to its end and prints what its card would show.
func (m Model) plainStep(ctx context.Context, l *lessons.Lesson, st *lessons.Step, out *plainOut) (Model, error) {
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	out.phases, out.steps = map[string]docker.Phase{}, 0
	if st.Kind == lessons.KindDockerfile {
		// Nothing to edit without a screen: the file and what it does.
		out.block(m.dockerfileCard(l, st, out.width))
		return m, nil
	}
	if st.Kind == lessons.KindCheck {
		// An exercise for the learner's own terminal: say it, with all its hints.
		_ = m.checkExercises()
		s := m.eng.State(k)
		s.Hints = len(st.HintList())
		out.block(m.exerciseView(st, s, out.width))
		return m, nil
	}
	m.selectStep(st.Index)
	nm, cmd := m.runStep(l, st)
	m = pump(ctx, nm, cmd, out.progress)
	s := m.eng.Steps[k]
	if s == nil {
		return m, nil
	}
	if note := i18n.NoteText(m.t, s); note != "" {
		out.block(note)
	}
	if r := i18n.RenamedText(m.t, s); r != "" {
		out.block(r)
	}
	// Tables and logs keep their full width in a file or a terminal log.
	width := max(out.width, 160)
	if s.Err != nil {
		width = out.width
	}
	if o := m.stepOutput(l, st, s, width); o != "" {
		out.block(o)
	}
	switch {
	case s.Status == engine.Done:
		out.line(strings.TrimSpace(tr(m.t.StepDoneFmt, "")))
	case s.Status == engine.Failed || s.Note != engine.NoteNone:
		out.line(m.t.StepFailed)
		if s.Err != nil {
			return m, fmt.Errorf("%s %d: %w", l.ID, st.Index+1, s.Err)
		}
		if s.Exec != nil && s.Exec.ExitCode != 0 {
			return m, fmt.Errorf("%s %d: "+m.t.ExitCodeFmt, l.ID, st.Index+1, s.Exec.ExitCode)
		}
		return m, fmt.Errorf("%s %d: %s", l.ID, st.Index+1, i18n.NoteText(m.t, s))
	}
	return m, nil
}

// plainOut writes plain lines, and progress as it comes: one line per
// layer phase of a pull, one per finished build step.
type plainOut struct {
	w      io.Writer
	width  int
	phases map[string]docker.Phase
	steps  int
}

func (o *plainOut) line(s string) { fmt.Fprintln(o.w, strings.TrimRight(ansi.Strip(s), " ")) }

func (o *plainOut) block(s string) {
	for _, l := range strings.Split(s, "\n") {
		o.line(l)
	}
}

func (o *plainOut) progress(_ Model, msg tea.Msg) bool {
	switch msg := msg.(type) {
	case pullUpdateMsg:
		for _, l := range msg.progress.Layers {
			if o.phases[l.ID] != l.Phase || !known(o.phases, l.ID) {
				o.phases[l.ID] = l.Phase
				o.line(fmt.Sprintf("  %s %s", l.ID, l.Status))
			}
		}
	case buildUpdateMsg:
		for _, s := range msg.progress.Steps {
			if s.Index > o.steps && s.Done {
				o.steps = s.Index
				o.line(fmt.Sprintf("  %d/%d %s → %s", s.Index, s.Total, s.Instruction, s.ImageID))
			}
		}
	}
	return false
}

func known(m map[string]docker.Phase, id string) bool { _, ok := m[id]; return ok }

// update is Update for callers that keep a Model.
func (m Model) update(msg tea.Msg) Model {
	nm, _ := m.Update(msg)
	return nm.(Model)
}

// pump runs the model's commands the way Bubble Tea does, one message at a
// time, until none is left in flight, ctx ends, or after(model, msg) says
// stop. Timers that would tick forever (spinner, highlight) are dropped.
func pump(ctx context.Context, m Model, cmd tea.Cmd, after func(Model, tea.Msg) bool) Model {
	var then func(Model, tea.Msg) (Model, tea.Cmd, bool)
	if after != nil {
		then = func(m Model, msg tea.Msg) (Model, tea.Cmd, bool) { return m, nil, after(m, msg) }
	}
	return pumpWith(ctx, m, cmd, then)
}

// pumpWith is pump whose after may also act on the model (keys a learner
// presses while things run, in tests) and hand in the commands that made.
func pumpWith(ctx context.Context, m Model, cmd tea.Cmd, after func(Model, tea.Msg) (Model, tea.Cmd, bool)) Model {
	msgs := make(chan tea.Msg, 64)
	pending := 0
	run := func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() { msgs <- c() }()
	}
	run(cmd)
	for pending > 0 {
		select {
		case <-ctx.Done():
			if m.running != nil {
				m.running.cancel()
			}
			return m
		case msg := <-msgs:
			pending--
			switch msg := msg.(type) {
			case nil:
				continue
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
				continue
			case clearHighlightMsg, spinner.TickMsg:
				continue
			}
			nm, c := m.Update(msg)
			m = nm.(Model)
			run(c)
			if after != nil {
				var extra tea.Cmd
				var stop bool
				m, extra, stop = after(m, msg)
				if stop {
					return m
				}
				run(extra)
			}
		}
	}
	return m
}
