package tui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

type (
	buildUpdateMsg struct {
		key      engine.StepKey
		progress docker.BuildProgress
		next     tea.Cmd
	}
	buildDoneMsg struct {
		key     engine.StepKey
		result  docker.BuildResult
		err     error
		at      time.Time
		renamed [2]string
	}
)

// startBuild builds until cancel (held by the model from the key press on).
// A lesson's own tag that names an image of the learner's is replaced by a
// free one (lessonName, see commitCmd).
func startBuild(ctx context.Context, cancel context.CancelFunc, c Daemon, key engine.StepKey, o docker.BuildOptions, lessonName bool, every time.Duration) tea.Cmd {
	return func() tea.Msg {
		s := newStream(every, func(p docker.BuildProgress, _ time.Time, next tea.Cmd) tea.Msg {
			return buildUpdateMsg{key: key, progress: p, next: next}
		})
		go func() {
			var renamed [2]string
			for i, t := range o.Tags {
				alt, r, err := engine.FreeName(ctx, c, t, lessonName)
				if err != nil {
					cancel()
					s.done <- buildDoneMsg{key: key, err: err, at: time.Now()}
					return
				}
				if r[0] != "" {
					o.Tags[i], renamed = alt, r
				}
			}
			res, err := c.Build(ctx, o, s.publish)
			cancel()
			s.done <- buildDoneMsg{key: key, result: res, err: err, at: time.Now(), renamed: renamed}
		}()
		return opStartedMsg{key: key, cancel: cancel, next: s.next}
	}
}

// buildCommand is the step as a learner types it, paths relative to the workspace.
func (m Model) buildCommand(l *lessons.Lesson, st *lessons.Step) string {
	parts := []string{"docker build"}
	if st.Builder == "classic" {
		parts[0] = "DOCKER_BUILDKIT=0 docker build" // the legacy builder, as the CLI still runs it
	}
	if t := m.work.eng.Ref(l, st); t != "" {
		parts = append(parts, "-t "+t)
	}
	if st.File != "" {
		parts = append(parts, "-f "+st.File)
	}
	return strings.Join(append(parts, st.Arg), " ")
}

func (m Model) runBuild(l *lessons.Lesson, st *lessons.Step) (Model, tea.Cmd) {
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	s := m.work.eng.State(k)
	if _, ok := m.work.workspaces[l.ID]; !ok {
		s.Note, s.NoteArg = engine.NoteFileMissing, st.Arg
		return m, nil
	}
	o, err := m.work.eng.BuildOptions(l, st, m.work.workspaces[l.ID])
	if err != nil {
		s.Status, s.Err = engine.Failed, err
		return m, nil
	}
	*s = engine.StepState{Status: engine.Running, Ref: s.Ref, Started: m.opts.Now()}
	// Layers that appear during the build are new: remember what was there.
	m.pic.knownBefore, m.pic.newLayers = m.knownLayers(), map[string]bool{}
	delete(m.pic.removal, l.ID)
	// Running from now: esc stops it even before it reports anything.
	ctx, cancel := context.WithCancel(context.Background())
	m.work.running = &runningOp{key: k, cancel: cancel}
	return m, tea.Batch(startBuild(ctx, cancel, m.opts.Client, k, o, m.work.eng.LessonName(l, st), m.opts.StreamInterval), m.look.spin.Tick)
}

// buildUpdate folds a build's progress in; a step that just finished puts its
// image in the panel, so the stack grows one step at a time.
func (m Model) buildUpdate(msg buildUpdateMsg) (tea.Model, tea.Cmd) {
	s := m.work.eng.Steps[msg.key]
	if s == nil || s.Status != engine.Running {
		return m, msg.next
	}
	before := lastDone(s.Build)
	m.daemon.streamAt = time.Now()
	p := msg.progress
	s.Build = &p
	cmds := []tea.Cmd{msg.next}
	if p.BuildKit && len(p.Steps) > 0 {
		// The panel stacks BuildKit's work over the image it starts FROM.
		if f := strings.Fields(p.Steps[0].Instruction); len(f) > 1 {
			ref := docker.Familiar(f[1])
			if _, seen := m.pic.stacks[ref]; !seen { // read once, whatever it answers
				m.pic.stacks[ref] = stackEntry{loading: true}
				cmds = append(cmds, stackCmd(m.opts.Client, ref))
			}
		}
	}
	if d := lastDone(s.Build); d != nil && (before == nil || d.Index != before.Index) && d.ImageID != "" {
		m.pic.panelRef[msg.key.Lesson] = d.ImageID
		m.pic.buildPanel[msg.key.Lesson] = msg.key
		e := m.pic.stacks[d.ImageID]
		e.loading = true
		m.pic.stacks[d.ImageID] = e
		cmds = append(cmds, stackCmd(m.opts.Client, d.ImageID))
	}
	m.refreshStep(msg.key)
	return m, tea.Batch(cmds...)
}

func lastDone(p *docker.BuildProgress) *docker.BuildStep {
	if p == nil {
		return nil
	}
	for i := len(p.Steps) - 1; i >= 0; i-- {
		if p.Steps[i].Done {
			return &p.Steps[i]
		}
	}
	return nil
}

func (m Model) buildDone(msg buildDoneMsg) (tea.Model, tea.Cmd) {
	m.work.running, m.work.busy = nil, nil
	_, st := m.stepOf(msg.key)
	m.work.eng.FinishBuild(st, msg.key, msg.result, msg.renamed, msg.err, msg.at)
	res := msg.result
	cmds := []tea.Cmd{m.snapshot()}
	if msg.err != nil {
		if docker.IsConnection(msg.err) && docker.KindOf(msg.err) != docker.KindInterrupted {
			m.daemon.conn, m.daemon.connErr = connDown, msg.err
		}
		m.pic.knownBefore = nil
		return m, tea.Batch(cmds...)
	}
	ref := docker.ShortID(res.ImageID)
	if l, st := m.stepOf(msg.key); st != nil && m.work.eng.Ref(l, st) != "" {
		ref = m.work.eng.Ref(l, st) // the panel names it as the learner does
	}
	m.pic.panelRef[msg.key.Lesson] = ref
	m.pic.buildPanel[msg.key.Lesson] = msg.key
	e := m.pic.stacks[ref]
	e.loading = true
	m.pic.stacks[ref] = e
	m.pic.lastPulledID = res.ImageID
	m.pic.highlightGen++
	cmds = append(cmds, stackCmd(m.opts.Client, ref), clearHighlightAfter(m.pic.highlightGen))
	return m, tea.Batch(cmds...)
}

// buildView is a build step's card output: the context sent, then each step
// as the builder ran it, with its image, cache hit and output.
func (m Model) buildView(l *lessons.Lesson, st *lessons.Step, s *engine.StepState, width int) string {
	d := m.t.DF
	p := s.Build
	if p == nil {
		return ""
	}
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	c := p.Context
	if c.Dir != "" {
		ctx := tr(d.ContextFmt, m.displayPath(c.Dir), c.Files, render.HumanSize(c.Size))
		if c.Ignored > 0 {
			ctx += tr(d.IgnoredFmt, c.Ignored)
		}
		lines = append(lines, strings.Split(wrap.Render(m.st.Dim.Render(ctx)), "\n")...)
		if !c.DockerfileInContext && c.Dockerfile != "" {
			lines = append(lines, ansi.Truncate(m.st.Dim.Render(tr(d.ContextOutsideFmt, m.displayPath(c.Dockerfile))), width, "…"))
		}
	}
	cached := 0
	if p.BuildKit {
		lines = append(lines, m.buildKitLines(p, s.Status == engine.Running, width)...)
		for _, bs := range p.Steps {
			if bs.Cached {
				cached++
			}
		}
	}
	for i, bs := range p.Steps {
		if p.BuildKit {
			break // drawn as BuildKit's vertices above
		}
		mark := m.st.Running.Render(d.StepRunning)
		switch {
		case bs.Done && bs.Cached:
			mark = m.st.Shared.Render(d.StepCache)
			cached++
		case bs.Done && i == 0:
			mark = m.st.Dim.Render(d.EffectBase)
		case bs.Done:
			mark = m.st.New.Render(d.StepNew)
		case s.Status != engine.Running:
			mark = m.st.Fail.Render("✗")
		}
		id := ""
		if bs.ImageID != "" {
			id = "→ " + bs.ImageID
		}
		right := m.st.Dim.Render(id) + " " + mark
		head := fmt.Sprintf("%d/%d %s", bs.Index, bs.Total, bs.Instruction)
		lines = append(lines, ansi.Truncate(head, max(width-lipgloss.Width(right)-1, 8), "…")+" "+right)
		out := bs.Output
		if len(out) > 4 {
			// The card keeps the last lines, and says how many it hides.
			lines = append(lines, m.st.Dim.Render(ansi.Truncate("   │ "+tr(d.EarlierLinesFmt, len(out)-4), width, "…")))
			out = out[len(out)-4:]
		}
		for _, o := range out {
			lines = append(lines, m.st.Dim.Render(ansi.Truncate("   │ "+o, width, "…")))
		}
	}
	if s.Status == engine.Done && s.BuildRes != nil && s.BuildRes.ImageID != "" {
		sum := tr(d.BuildDoneFmt, docker.ShortID(s.BuildRes.ImageID), len(p.Steps), cached)
		if t := m.work.eng.Ref(l, st); t != "" {
			sum += tr(d.BuildTaggedFmt, t)
		} else {
			sum += d.BuildUntagged
		}
		lines = append(lines, strings.Split(wrap.Render(m.st.OK.Render(sum)), "\n")...)
	}
	return strings.Join(lines, "\n")
}

// buildKitLines draw a BuildKit build as docker build prints it: each thing
// BuildKit did as "#N NAME", its output lines ("#N 0.215 hi", the last few),
// its sub-tasks, and how it ended (CACHED, DONE 0.4s, ERROR): Docker's own
// words, which the learner meets in their own terminal.
func (m Model) buildKitLines(p *docker.BuildProgress, running bool, width int) []string {
	var lines []string
	dim := func(s string) string { return m.st.Dim.Render(ansi.Truncate(s, width, "…")) }
	for _, v := range p.Vertices {
		n := fmt.Sprintf("#%d ", v.Number)
		var end string
		switch {
		case v.Error != "":
			end = m.st.Fail.Render("ERROR")
		case v.Cached:
			end = m.st.Shared.Render("CACHED")
		case v.Done():
			end = m.st.New.Render(fmt.Sprintf("DONE %.1fs", v.Duration().Seconds()))
		case running && !v.Started.IsZero():
			end = m.st.Running.Render(m.t.DF.StepRunning)
		case !running:
			end = m.st.Dim.Render("-") // never started: the build ended first
		}
		lines = append(lines, ansi.Truncate(n+v.Name, max(width-lipgloss.Width(end)-1, 8), "…")+" "+end)
		logs := v.Logs
		if len(logs) > 4 {
			lines = append(lines, dim(n+tr(m.t.DF.EarlierLinesFmt, len(logs)-4)))
			logs = logs[len(logs)-4:]
		}
		for _, l := range logs {
			lines = append(lines, dim(n+l))
		}
		for _, st := range v.Statuses {
			if st.Done {
				lines = append(lines, dim(n+st.ID+" done"))
			} else {
				lines = append(lines, dim(n+st.ID))
			}
		}
	}
	return lines
}

// displayPath shortens the home folder to ~ as a shell prompt does.
func (m Model) displayPath(p string) string {
	if home := m.opts.Home; home != "" && strings.HasPrefix(p, home+string(filepath.Separator)) {
		return "~" + p[len(home):]
	}
	return p
}

// dockerfileCard is a Dockerfile step's output: the file's first lines and a summary.
func (m Model) dockerfileCard(l *lessons.Lesson, st *lessons.Step, width int) string {
	text, ok := m.work.files[fileKey(l.ID, st.Arg)]
	if !ok {
		return m.st.Dim.Render(tr(m.t.DF.FileMissingFmt, st.Arg))
	}
	var lines []string
	if _, ok := m.work.drafts[fileKey(l.ID, st.Arg)]; ok {
		// The learner's edits a save did not write wait in the editor; the
		// card shows the file as it is, which is what a build reads.
		lines = append(lines, lipgloss.NewStyle().Width(width).Render(m.st.Warn.Render(m.t.DF.DraftOnCard)))
	}
	a := dockerfile.Analyze(text)
	src := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, ln := range src {
		if i == 12 {
			lines = append(lines, m.st.Dim.Render(fmt.Sprintf("   … %d more", len(src)-i)))
			break
		}
		lines = append(lines, ansi.Truncate(m.st.Dim.Render(fmt.Sprintf("%2d ", i+1))+ln, width, "…"))
	}
	layers, meta := a.Counts()
	lines = append(lines, m.st.Dim.Render(ansi.Truncate(tr(m.t.DF.FileSummaryFmt, len(a.Lines), layers, meta), width, "…")))
	for _, n := range a.Notes {
		if n.Kind.Severity() == dockerfile.SeverityError {
			lines = append(lines, strings.Split(lipgloss.NewStyle().Width(width).Render(m.st.Fail.Render(m.noteText(n))), "\n")...)
		}
	}
	return strings.Join(lines, "\n")
}

// buildMarks says, for the layers panel, which history entries of the shown
// image the lesson's last build made, and whether each came from the cache.
func (m Model) buildMarks(lesson string, stack docker.LayerStack) map[int]string {
	k, ok := m.pic.buildPanel[lesson]
	if !ok {
		return nil
	}
	s := m.work.eng.Steps[k]
	if s == nil || s.Build == nil {
		return nil
	}
	if s.Build.BuildKit {
		return m.buildKitMarks(s, stack)
	}
	top := lastDone(s.Build)
	if top == nil || !strings.HasPrefix(strings.TrimPrefix(stack.ID, "sha256:"), top.ImageID) {
		return nil
	}
	marks := map[int]string{}
	n := len(stack.Layers)
	j := 0
	for i := len(s.Build.Steps) - 1; i >= 1; i-- {
		bs := s.Build.Steps[i]
		if !bs.Done || bs.Index > top.Index {
			continue
		}
		word := m.t.DF.StepNew
		if bs.Cached {
			word = m.t.DF.StepCache
		}
		if idx := n - 1 - j; idx >= 0 {
			marks[idx] = tr(m.t.DF.LayerStepFmt, bs.Index, word)
		}
		j++
	}
	return marks
}

// buildKitMarks mark the layers a BuildKit build made in its image: its
// numbered instructions after FROM are the image's top layers, in order.
func (m Model) buildKitMarks(s *engine.StepState, stack docker.LayerStack) map[int]string {
	if s.BuildRes == nil || s.BuildRes.ImageID == "" || stack.ID != s.BuildRes.ImageID || len(s.Build.Steps) < 2 {
		return nil
	}
	marks := map[int]string{}
	steps := s.Build.Steps[1:]
	j := len(steps) - 1
	for i := len(stack.Layers) - 1; i >= 0 && j >= 0; i-- {
		if stack.Layers[i].Meta {
			continue
		}
		word := m.t.DF.StepNew
		if steps[j].Cached {
			word = m.t.DF.StepCache
		}
		marks[i] = tr(m.t.DF.LayerStepFmt, steps[j].Index, word)
		j--
	}
	return marks
}

// stepOf finds the lesson and step a key names.
func (m Model) stepOf(k engine.StepKey) (*lessons.Lesson, *lessons.Step) {
	for _, l := range m.opts.Lessons {
		if l.ID == k.Lesson && k.Index >= 0 && k.Index < len(l.Steps) {
			return l, l.Steps[k.Index]
		}
	}
	return nil, nil
}

// withAnalysis adds what the analyzer knows about the line a Dockerfile error
// names (the builder says "unknown instruction: RUM"; the analyzer knows RUN).
func (m Model) withAnalysis(l *lessons.Lesson, st *lessons.Step, err error, x i18n.Explanation) i18n.Explanation {
	var de *docker.Error
	if !errors.As(err, &de) || de.Kind != docker.KindDockerfile || de.Line == 0 {
		return x
	}
	files := engine.DockerfilesOf(st)
	text, ok := m.work.files[fileKey(l.ID, files[0])]
	if !ok {
		return x
	}
	for _, n := range dockerfile.Analyze(text).NotesAt(de.Line) {
		if n.Kind.Severity() == dockerfile.SeverityError {
			x.Todo = append([]string{m.noteText(n)}, x.Todo...)
		}
	}
	return x
}
