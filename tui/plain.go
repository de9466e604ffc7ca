package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/layerlab/layerlab/lessons/i18n"

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
// handouts. It prints a lesson as plain text and, with Run, runs its steps
// one after the other in the lesson engine (engine.Session.Run, the step
// machine the screen uses too), printing each step's progress line by line
// and then what its card would show, in the same words. It stops at the
// first step that fails (unless the lesson expects that failure).
func RunPlain(ctx context.Context, w io.Writer, o Options, p PlainOptions) error {
	o.NoColor, o.DetectTheme, o.Live = true, false, false
	if p.Width <= 0 {
		p.Width = 80
	}
	// The screen's words and cards, without colour, draw what the steps
	// did: this model is only drawn from, never run.
	m := New(o)
	t := m.t
	if p.Lesson == "" {
		fmt.Fprintln(w, t.ListIntro)
		for i, l := range m.opts.Lessons {
			fmt.Fprintf(w, "  %d. %s (%s)\n", i+1, l.Title, l.ID)
		}
		fmt.Fprintln(w, "\n"+t.PlainUsage)
		return nil
	}
	var l *lessons.Lesson
	for _, ls := range m.opts.Lessons {
		if ls.ID == p.Lesson {
			l = ls
		}
	}
	if l == nil {
		return errors.New(tr(t.PlainNoLessonFmt, p.Lesson))
	}
	out := &plainOut{w: w, width: p.Width, phases: map[string]docker.Phase{}}
	env := engine.Env{Workspaces: m.work.workspaces, Mirror: o.Mirror, Now: m.opts.Now}
	if p.Run {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := o.Client.Connect(cctx)
		cancel()
		if err != nil {
			return errors.New(i18n.ErrorText(*t, err))
		}
		// The containers the run started do not outlive it, as when the app
		// quits (found by layerlab's record of them, never by a label); those
		// recorded before it began are another window's.
		before := map[string]bool{}
		if list, err := o.Client.OwnedContainers(ctx, l.ID); err == nil {
			for _, ct := range list {
				before[ct.ID] = true
			}
		}
		defer removeLessonContainers(o.Client, l.ID, func(id string) bool { return !before[id] })()
		if o.Workspace != "" && engine.UsesWorkspace(l) {
			ws, err := engine.OpenWorkspace(o.Workspace, o.PackDir, l)
			if err != nil {
				return errors.New(tr(t.WorkspaceErrFmt, err))
			}
			m.work.workspaces[l.ID] = ws.Dir
			for rel, text := range ws.Files {
				m.work.files[fileKey(l.ID, rel)] = text
			}
		}
	}
	out.line("# " + l.Title)
	for i, part := range l.Parts {
		if part.Step == nil {
			out.line("")
			out.block(m.look.md.Render(l.File+"#plain", i, lessons.ForPlain(part.Markdown), p.Width))
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
		if err := m.plainStep(ctx, o.Client, env, l, st, out); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// plainStep runs one step to its end in the lesson engine and prints what
// its card would show.
func (m Model) plainStep(ctx context.Context, r engine.Runner, env engine.Env, l *lessons.Lesson, st *lessons.Step, out *plainOut) error {
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	out.phases, out.steps, out.vertices = map[string]docker.Phase{}, 0, nil
	switch st.Kind {
	case lessons.KindDockerfile:
		// Nothing to edit without a screen: the file and what it does.
		out.block(m.dockerfileCard(l, st, out.width))
		return nil
	case lessons.KindCheck:
		// An exercise for the learner's own terminal: say it, with all its
		// hints, and what the daemon shows is still missing.
		world := engine.World{Files: map[string]string{}}
		world.Images, _ = r.Images(ctx)
		world.Containers, _ = r.Containers(ctx, true)
		for key, v := range m.work.files {
			if rel, ok := strings.CutPrefix(key, l.ID+"/"); ok {
				world.Files[rel] = v
			}
		}
		m.work.eng.CheckExercises(l, world)
		s := m.work.eng.State(k)
		s.Hints = len(st.HintList())
		out.block(m.exerciseView(st, s, out.width))
		return nil
	}
	s := m.work.eng.Run(ctx, r, env, l, st, out.progress)
	if s.Status == engine.Done && (st.Kind == lessons.KindRun || st.Kind == lessons.KindDiff) {
		// What the card shows of the container: its writable layer.
		name := m.work.eng.Ctr(st.Arg)
		if st.Kind == lessons.KindRun {
			name = m.work.eng.Ctr(st.Name)
		}
		if wl, err := r.Writable(ctx, name); err == nil {
			m.pic.writable[name] = wl
		}
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
			return fmt.Errorf("%s %d: %w", l.ID, st.Index+1, s.Err)
		}
		if s.Exec != nil && s.Exec.ExitCode != 0 {
			return fmt.Errorf("%s %d: "+m.t.ExitCodeFmt, l.ID, st.Index+1, s.Exec.ExitCode)
		}
		return fmt.Errorf("%s %d: %s", l.ID, st.Index+1, i18n.NoteText(m.t, s))
	}
	return nil
}

// plainOut writes plain lines, and progress as it comes: one line per
// layer phase of a pull, one per finished build step.
type plainOut struct {
	w      io.Writer
	width  int
	phases map[string]docker.Phase
	steps  int
	// vertices are the BuildKit vertices printed, by number.
	vertices map[int]bool
}

func (o *plainOut) line(s string) { fmt.Fprintln(o.w, strings.TrimRight(ansi.Strip(s), " ")) }

func (o *plainOut) block(s string) {
	for _, l := range strings.Split(s, "\n") {
		o.line(l)
	}
}

// progress prints a running pull's or build's news as it comes.
func (o *plainOut) progress(p any) {
	switch p := p.(type) {
	case docker.PullProgress:
		for _, l := range p.Layers {
			if o.phases[l.ID] != l.Phase || !known(o.phases, l.ID) {
				o.phases[l.ID] = l.Phase
				o.line(fmt.Sprintf("  %s %s", l.ID, l.Status))
			}
		}
	case docker.BuildProgress:
		if p.BuildKit {
			// What BuildKit finished, as docker build prints it.
			for _, v := range p.Vertices {
				if v.Done() && !o.vertices[v.Number] {
					if o.vertices == nil {
						o.vertices = map[int]bool{}
					}
					o.vertices[v.Number] = true
					end := fmt.Sprintf("DONE %.1fs", v.Duration().Seconds())
					if v.Cached {
						end = "CACHED"
					}
					o.line(fmt.Sprintf("  #%d %s: %s", v.Number, v.Name, end))
				}
			}
			return
		}
		for _, s := range p.Steps {
			if s.Index > o.steps && s.Done {
				o.steps = s.Index
				o.line(fmt.Sprintf("  %d/%d %s → %s", s.Index, s.Total, s.Instruction, s.ImageID))
			}
		}
	}
}

func known(m map[string]docker.Phase, id string) bool { _, ok := m[id]; return ok }
