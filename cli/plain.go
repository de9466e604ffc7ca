package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// PlainOptions are plain mode's: the daemon and the lessons, where the
// workspaces are, the learner's words, and which lesson it prints.
type PlainOptions struct {
	Daemon  engine.Frontend
	Lessons []*lessons.Lesson
	Strings i18n.Strings
	// Lang is the language's code (the workspaces' comments are in it).
	Lang string
	// Mirror stands in for Docker Hub; Workspace holds the lessons'
	// workspaces (PackDir the pack's seeds, "" for the built-in lessons);
	// Home is shown as ~.
	Mirror, Workspace, PackDir, Home string
	Now                              func() time.Time
	// Lesson is the lesson's id; "" lists the lessons.
	Lesson string
	// Run runs each step against the daemon as a script; false only prints
	// (a handout).
	Run   bool
	Width int
}

// RunPlain is layerlab without a screen: for screen readers, logs and
// handouts, a front end over the lesson engine and the renderer, as the
// screen is. It prints a lesson as plain text and, with Run, runs its steps
// one after the other in the lesson engine (engine.Session.Run, the step
// machine the screen uses too), printing each step's progress line by line
// and then what its card would show, in the same words (render). It stops
// at the first step that fails (unless the lesson expects that failure).
func RunPlain(ctx context.Context, w io.Writer, o PlainOptions) error {
	if o.Width <= 0 {
		o.Width = 80
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	t := &o.Strings
	if o.Lesson == "" {
		fmt.Fprintln(w, t.ListIntro)
		for i, l := range o.Lessons {
			fmt.Fprintf(w, "  %d. %s (%s)\n", i+1, l.Title, l.ID)
		}
		fmt.Fprintln(w, "\n"+t.PlainUsage)
		return nil
	}
	var l *lessons.Lesson
	for _, ls := range o.Lessons {
		if ls.ID == o.Lesson {
			l = ls
		}
	}
	if l == nil {
		return errors.New(i18n.NoLessonText(t, o.Lesson, o.Lessons))
	}
	st := render.NewPlainStyles()
	pl := &plain{o: o, out: &plainOut{w: w, width: o.Width, phases: map[string]docker.Phase{}},
		session: engine.NewSession(), files: map[string]string{}, writable: map[string]docker.WritableLayer{},
		paint: render.Painter{T: t, St: &st, Now: o.Now, Mirror: o.Mirror, Home: o.Home, Bar: render.PlainBar}}
	env := engine.Env{Workspaces: map[string]string{}, Mirror: o.Mirror, Now: o.Now}
	if o.Run {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := o.Daemon.Connect(cctx)
		cancel()
		if err != nil {
			return errors.New(i18n.ErrorText(*t, err))
		}
		// The containers the run started do not outlive it, as when the app
		// quits (found by layerlab's record of them, never by a label); those
		// recorded before it began are another window's.
		before := map[string]bool{}
		if list, err := o.Daemon.OwnedContainers(ctx, l.ID); err == nil {
			for _, ct := range list {
				before[ct.ID] = true
			}
		}
		defer removeStarted(o.Daemon, l.ID, before)
	}
	switch {
	case !engine.UsesWorkspace(l):
	case o.Run && o.Workspace != "":
		ws, err := engine.OpenWorkspace(o.Workspace, o.PackDir, o.Lang, l)
		if err != nil {
			return errors.New(i18n.Tr(t.WorkspaceErrFmt, err))
		}
		env.Workspaces[l.ID] = ws.Dir
		for rel, text := range ws.Files {
			pl.files[rel] = text
		}
	case !o.Run:
		// A handout shows the lesson's own Dockerfiles (not the learner's
		// edits), from a copy in a temporary folder: it writes nothing of
		// the learner's, and without one it prints the rest.
		if tmp, err := os.MkdirTemp("", "layerlab-handout-"); err == nil {
			defer os.RemoveAll(tmp)
			if ws, err := engine.OpenWorkspace(tmp, o.PackDir, o.Lang, l); err == nil {
				for rel, text := range ws.Files {
					pl.files[rel] = text
				}
			}
		}
	}
	out := pl.out
	md := render.NewMarkdown("notty")
	out.line("# " + l.Title)
	for i, part := range l.Parts {
		if part.Step == nil {
			out.line("")
			out.block(md.Render(l.File+"#plain", i, lessons.ForPlain(part.Markdown), o.Width))
			continue
		}
		st := part.Step
		out.line("")
		out.line(i18n.Tr("── "+t.StepFmt, st.Index+1, st.Title))
		out.line(pl.paint.CommandLine(pl.card(l, st)))
		if !o.Run {
			if st.Kind == lessons.KindDockerfile {
				out.block(pl.paint.DockerfileCard(pl.card(l, st), o.Width))
			}
			continue
		}
		if err := pl.step(ctx, env, l, st); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// plain is a run of plain mode: the lesson engine's session, what the
// cards name (the lesson's Dockerfiles, its containers' writable layers),
// and the renderer.
type plain struct {
	o        PlainOptions
	out      *plainOut
	session  *engine.Session
	files    map[string]string
	writable map[string]docker.WritableLayer
	paint    render.Painter
}

// card is a step as its card shows it.
func (pl *plain) card(l *lessons.Lesson, st *lessons.Step) render.Card {
	return render.Card{Lesson: l, Step: st, State: pl.session.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}],
		Names: pl.session, Writable: pl.writable, Files: pl.files}
}

// removeStarted removes the lesson's containers layerlab recorded that were
// not there before the run: never anything layerlab did not create.
func removeStarted(d engine.Frontend, lesson string, before map[string]bool) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := d.OwnedContainers(ctx, lesson)
	if err != nil {
		return
	}
	for _, ct := range list {
		if !before[ct.ID] {
			_ = d.RemoveContainer(ctx, ct.ID)
		}
	}
}

// step runs one step to its end in the lesson engine and prints what its
// card would show.
func (pl *plain) step(ctx context.Context, env engine.Env, l *lessons.Lesson, st *lessons.Step) error {
	r, t, out := pl.o.Daemon, pl.paint.T, pl.out
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	out.phases, out.steps, out.printed = map[string]docker.Phase{}, 0, 0
	switch st.Kind {
	case lessons.KindDockerfile:
		// Nothing to edit without a screen: the file and what it does.
		out.block(pl.paint.DockerfileCard(pl.card(l, st), out.width))
		return nil
	case lessons.KindCheck:
		// An exercise for the learner's own terminal: say it, with all its
		// hints, and what the daemon shows is still missing.
		world := engine.World{Files: map[string]string{}}
		world.Images, _ = r.Images(ctx)
		world.Containers, _ = r.Containers(ctx, true)
		world.Volumes, _ = r.Volumes(ctx)
		for rel, v := range pl.files {
			world.Files[rel] = v
		}
		// Shown now: with no events to read, what was there before does
		// not count, and the card says what is still to do.
		pl.session.ShowExercises(l, time.Now())
		pl.session.CheckExercises(l, world)
		s := pl.session.State(k)
		s.Hints = len(st.HintList())
		out.block(pl.paint.Output(pl.card(l, st), out.width))
		return nil
	}
	s := pl.session.Run(ctx, r, env, l, st, out.progress)
	if s.Status == engine.Done && (st.Kind == lessons.KindRun || st.Kind == lessons.KindDiff) {
		// What the card shows of the container: its writable layer.
		name := pl.session.Ctr(st.Arg)
		if st.Kind == lessons.KindRun {
			name = pl.session.Ctr(st.Name)
		}
		if wl, err := r.Writable(ctx, name); err == nil {
			pl.writable[name] = wl
		}
	}
	if note := i18n.NoteText(t, s); note != "" {
		out.block(note)
	}
	if r := i18n.RenamedText(t, s); r != "" {
		out.block(r)
	}
	// Tables and logs keep their full width in a file or a terminal log.
	width := max(out.width, 160)
	if s.Err != nil {
		width = out.width
	}
	c := pl.card(l, st)
	c.Streamed = true // a build's progress is printed above, as it came
	if o := pl.paint.Output(c, width); o != "" {
		out.block(o)
	}
	switch {
	case s.Status == engine.Done:
		out.line(strings.TrimSpace(i18n.Tr(t.StepDoneFmt, "")))
	case s.Status == engine.Failed || s.Note != engine.NoteNone:
		out.line(t.StepFailed)
		if s.Err != nil {
			return fmt.Errorf("%s %d: %w", l.ID, st.Index+1, s.Err)
		}
		if s.Exec != nil && s.Exec.ExitCode != 0 {
			return fmt.Errorf("%s %d: "+t.ExitCodeFmt, l.ID, st.Index+1, s.Exec.ExitCode)
		}
		return fmt.Errorf("%s %d: %s", l.ID, st.Index+1, i18n.NoteText(t, s))
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
	// printed counts the lines of a BuildKit build printed so far.
	printed int
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
		if p.BuildKit || p.Buildah {
			// What docker build --progress=plain (or podman build) prints,
			// as it printed it, line by line.
			for _, l := range p.Printed[min(o.printed, len(p.Printed)):] {
				o.line("  " + l)
			}
			o.printed = max(o.printed, len(p.Printed))
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
