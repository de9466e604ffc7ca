package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

type stepKey struct {
	lesson string
	index  int
}

type stepStatus int

const (
	stepIdle stepStatus = iota
	stepRunning
	stepDone
	stepFailed
)

// stepState is what happened to one step card.
type stepState struct {
	status stepStatus
	ref    string // the learner's edit of the step's image reference
	err    error
	note   string // a short reason the step did not start
	// table is what a docker images / docker ps step showed when it ran: a
	// finished card keeps it, whatever changes later (awaitTable: the first
	// picture read after the step ran is it).
	table      *tableShot
	awaitTable bool
	// renamed says that the lesson's name was the learner's, and which name
	// of its own the step used instead.
	renamed  string
	started  time.Time
	elapsed  time.Duration
	progress docker.PullProgress
	rate     float64 // bytes per second
	result   *docker.PullResult
	exec     *docker.ExecResult
	commit   *docker.CommitResult
	tagged   *docker.TagResult
	removed  *docker.RemoveResult
	// forced is true for an rmi run with -f; expected when the step met the
	// failure its lesson meant it to meet.
	forced, expected bool
	// target is what an rmi step removed, as resolved when it ran (an id for <none>).
	target string
	// seenTarget: a removal exercise has seen its image on the daemon (done
	// means it was there, then the learner removed it).
	seenTarget bool
	// why is what an exercise still misses; hints how many hints are shown.
	why   string
	hints int
	// build is a build step's progress, buildRes its result.
	build    *docker.BuildProgress
	buildRes *docker.BuildResult
	lastAt   time.Time
	lastDone int64
}

// tableShot is the daemon's images and containers as one picture showed them.
type tableShot struct {
	images     []docker.Image
	containers []docker.Container
	pulled     string // the image marked as just pulled
}

// observe folds a progress snapshot in, and keeps a smoothed download rate.
func (s *stepState) observe(p docker.PullProgress, at time.Time) {
	s.progress = p
	done, _ := p.Bytes()
	if !s.lastAt.IsZero() {
		if dt := at.Sub(s.lastAt).Seconds(); dt > 0.2 {
			r := float64(done-s.lastDone) / dt
			if s.rate == 0 {
				s.rate = r
			} else {
				s.rate = 0.7*s.rate + 0.3*r
			}
			s.lastAt, s.lastDone = at, done
		}
	} else {
		s.lastAt, s.lastDone = at, done
	}
	s.elapsed = at.Sub(s.started)
}

func (m *Model) state(k stepKey) *stepState {
	s := m.steps[k]
	if s == nil {
		s = &stepState{}
		m.steps[k] = s
	}
	return s
}

// stepRef is the editable value of a step: the learner's edit, or the lesson's
// (the image of a pull, the command of an exec, the new reference of a commit).
func (m Model) stepRef(l *lessons.Lesson, st *lessons.Step) string {
	if s := m.steps[stepKey{l.ID, st.Index}]; s != nil && s.ref != "" {
		return s.ref
	}
	switch st.Kind {
	case lessons.KindExec:
		return st.Cmd
	case lessons.KindCommit, lessons.KindTag:
		return m.named(st.As)
	case lessons.KindBuild:
		return m.named(st.Tag)
	case lessons.KindRmi:
		return m.named(st.Arg)
	}
	return st.Arg
}

// named is the name layerlab uses for a lesson's image name: the lesson's
// own, or the free one it took instead when the learner's image had that
// name (a lesson never moves a learner's name).
func (m Model) named(ref string) string {
	if alt, ok := m.renamed[docker.Familiar(ref)]; ok {
		return alt
	}
	return ref
}

// noteRenamed keeps a name the step took instead of the lesson's, and says so on its card.
func (m Model) noteRenamed(s *stepState, r [2]string) {
	if r[0] == "" {
		return
	}
	m.renamed[r[0]] = r[1]
	s.renamed = tr(m.t.NameTakenFmt, r[0], r[1])
}

// noteRenamedContainer is noteRenamed for a container's name.
func (m Model) noteRenamedContainer(s *stepState, r [2]string) {
	if r[0] == "" {
		return
	}
	m.renamedCt[r[0]] = r[1]
	s.renamed = tr(m.t.ContainerNameTakenFmt, r[0], r[1])
}

// ctr is the name of a lesson's container: the lesson's own, or the free one
// layerlab took instead when a container of the learner's had that name.
func (m Model) ctr(name string) string {
	if alt, ok := m.renamedCt[name]; ok {
		return alt
	}
	return name
}

// lessonName reports whether the step's name is the lesson's, not an edit
// of the learner's: only the lesson's own may be replaced by a free one.
func (m Model) lessonName(l *lessons.Lesson, st *lessons.Step) bool {
	s := m.steps[stepKey{l.ID, st.Index}]
	return s == nil || s.ref == ""
}

func editable(k lessons.Kind) bool {
	switch k {
	case lessons.KindPull, lessons.KindExec, lessons.KindCommit, lessons.KindTag, lessons.KindRmi, lessons.KindBuild:
		return true
	}
	return false
}

// maxCommand caps what a learner can type or paste as a command.
const maxCommand = 1000

// validateEdit checks an edited value before it is kept.
func validateEdit(k lessons.Kind, v string) error {
	switch k {
	case lessons.KindPull, lessons.KindCommit, lessons.KindTag:
		_, err := docker.ParseRef(v)
		return err
	case lessons.KindBuild:
		if v == "" {
			return nil // docker build . without -t: the image has only its id
		}
		_, err := docker.ParseRef(v)
		return err
	case lessons.KindRmi:
		if v == lessons.Dangling || docker.LooksLikeID(v) {
			return nil
		}
		_, err := docker.ParseRef(v)
		return err
	case lessons.KindExec:
		if strings.TrimSpace(v) == "" {
			return &docker.Error{Kind: docker.KindBadReference, Rule: "type a command, e.g. echo hi > /hello.txt"}
		}
	}
	return nil
}

func (m Model) runSelected() (tea.Model, tea.Cmd) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 {
		return m, nil
	}
	st := l.Steps[m.selected[l.ID]]
	nm, cmd := m.runStep(l, st)
	nm.scrollToStep(st.Index)
	return nm, cmd
}

func (m Model) runStep(l *lessons.Lesson, st *lessons.Step) (Model, tea.Cmd) {
	k := stepKey{l.ID, st.Index}
	s := m.state(k)
	s.note = ""
	switch {
	case !m.idle():
		s.note = m.t.StepBusy
		m.refresh()
		return m, nil
	case m.conn != connUp:
		s.note = m.t.StepNeedsDaemon
		m.refresh()
		return m, nil
	}
	switch st.Kind {
	case lessons.KindPull:
		ref, err := docker.ParseRef(m.stepRef(l, st))
		if err != nil {
			s.status, s.err = stepFailed, err
			m.refresh()
			return m, nil
		}
		*s = stepState{status: stepRunning, ref: s.ref, started: m.opts.Now()}
		m.opKnown = m.knownLayers()
		// Running from now: esc stops it even before it reports anything.
		ctx, cancel := context.WithCancel(context.Background())
		m.running = &runningOp{key: k, cancel: cancel}
		m.refresh()
		return m, tea.Batch(startPull(ctx, cancel, m.opts.Client, k, ref, m.opts.Mirror), m.spin.Tick)
	case lessons.KindImages, lessons.KindPs:
		s.status, s.err, s.table, s.awaitTable = stepDone, nil, nil, true
		m.refresh()
		return m, m.snapshot()
	case lessons.KindRmi:
		return m.runRemoval(l, st, false)
	case lessons.KindDockerfile:
		return m.openEditor(l, st)
	case lessons.KindCheck:
		check := m.checkExercises()
		m.refresh()
		return m, tea.Batch(check, m.snapshot())
	case lessons.KindBuild:
		return m.runBuild(l, st)
	}
	var cmd tea.Cmd
	switch st.Kind {
	case lessons.KindRun:
		cmd = runContainerCmd(m.opts.Client, k, m.named(st.Arg), m.ctr(st.Name))
	case lessons.KindExec:
		cmd = execCmd(m.opts.Client, k, m.ctr(st.Arg), m.stepRef(l, st))
	case lessons.KindDiff:
		cmd = diffCmd(m.opts.Client, k, m.ctr(st.Arg))
	case lessons.KindCommit:
		ref, err := docker.ParseRef(m.stepRef(l, st))
		if err != nil {
			s.status, s.err = stepFailed, err
			m.refresh()
			return m, nil
		}
		cmd = commitCmd(m.opts.Client, k, m.ctr(st.Arg), ref, m.lessonName(l, st))
	case lessons.KindTag:
		ref, err := docker.ParseRef(m.stepRef(l, st))
		if err != nil {
			s.status, s.err = stepFailed, err
			m.refresh()
			return m, nil
		}
		cmd = tagCmd(m.opts.Client, k, m.named(st.Arg), ref, m.lessonName(l, st))
	case lessons.KindRm:
		cmd = rmCmd(m.opts.Client, k, m.ctr(st.Arg))
	case lessons.KindStart:
		cmd = startCmd(m.opts.Client, k, m.named(st.Arg))
	default:
		return m, nil
	}
	*s = stepState{status: stepRunning, ref: s.ref, started: m.opts.Now()}
	m.opKnown = m.knownLayers()
	m.busy = &k
	m.refresh()
	return m, tea.Batch(cmd, m.spin.Tick)
}

func (m Model) pullDone(msg pullDoneMsg) (tea.Model, tea.Cmd) {
	m.running = nil
	s := m.state(msg.key)
	s.progress = msg.result.Progress
	s.elapsed = msg.at.Sub(s.started)
	if msg.err != nil {
		s.status, s.err = stepFailed, msg.err
		if docker.IsConnection(msg.err) && docker.KindOf(msg.err) != docker.KindInterrupted {
			m.conn, m.connErr = connDown, msg.err
		}
		m.layout()
		return m, m.snapshot()
	}
	s.status, s.err = stepDone, nil
	res := msg.result
	s.result = &res
	m.refresh()
	return m, tea.Batch(m.snapshot(), m.showNewImage(msg.key.lesson, res.Ref.String(), res.ImageID))
}

// showNewImage points the lesson's panel at an image a step just made or
// pulled. Layers that were not on the daemon before are marked new when its
// stack arrives, for a few seconds.
// knownLayers is every layer the daemon holds, as far as the model knows.
func (m Model) knownLayers() map[string]bool {
	known := map[string]bool{}
	for _, ids := range m.diffIDs {
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
	known := m.opKnown
	if known == nil {
		known = m.knownLayers()
	}
	m.opKnown = nil
	m.panelRef[lesson] = ref
	delete(m.removal, lesson)
	m.lastPulledID = imageID
	m.highlightGen++
	m.newLayers = map[string]bool{}
	m.knownBefore = known
	e := m.stacks[ref]
	e.loading = true
	m.stacks[ref] = e
	return tea.Batch(stackCmd(m.opts.Client, ref), clearHighlightAfter(m.highlightGen))
}

// stepCard draws one step: title, the command it runs, its state and output.
func (m Model) stepCard(l *lessons.Lesson, st *lessons.Step, width int) string {
	k := stepKey{l.ID, st.Index}
	s := m.steps[k]
	if s == nil {
		s = &stepState{}
	}
	selected := m.selected[l.ID] == st.Index
	box := m.st.Card
	if selected {
		box = m.st.CardSelected
	}
	inner := max(width-box.GetHorizontalFrameSize(), 10)
	title := st.Title
	if title == "" {
		title = string(st.Kind)
	}
	var b []string
	b = append(b, m.st.CardTitle.Render(ansi.Truncate(tr(m.t.StepFmt, st.Index+1, title), inner, "…")))
	cmdLine := "$ " + m.commandFor(l, st)
	if selected && m.editing {
		b = append(b, m.input.View())
		if err := validateEdit(st.Kind, m.input.Value()); err != nil {
			var de *docker.Error
			if errors.As(err, &de) {
				b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Warn.Render("! "+de.Rule)))
			}
		}
		b = append(b, m.st.Dim.Render(m.t.EditHint))
	} else {
		b = append(b, m.st.Command.Render(ansi.Truncate(cmdLine, inner, "…")))
		b = append(b, m.statusLine(st, s, selected, inner))
	}
	if s.note != "" {
		b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Warn.Render(s.note)))
	}
	if s.renamed != "" {
		b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Warn.Render(s.renamed)))
	}
	if out := m.stepOutput(l, st, s, inner); out != "" {
		b = append(b, out)
	}
	return box.Width(width).Render(strings.Join(b, "\n"))
}

func (m Model) commandFor(l *lessons.Lesson, st *lessons.Step) string {
	switch st.Kind {
	case lessons.KindPull:
		return "docker pull " + m.stepRef(l, st)
	case lessons.KindImages:
		return "docker images"
	case lessons.KindPs:
		return "docker ps -a"
	case lessons.KindRun:
		return "docker run -dit --name " + m.ctr(st.Name) + " " + m.named(st.Arg)
	case lessons.KindExec:
		return "docker exec " + m.ctr(st.Arg) + " sh -c " + shellQuote(m.stepRef(l, st))
	case lessons.KindDiff:
		return "docker diff " + m.ctr(st.Arg)
	case lessons.KindCommit:
		return "docker commit " + m.ctr(st.Arg) + " " + m.stepRef(l, st)
	case lessons.KindTag:
		return "docker tag " + m.named(st.Arg) + " " + m.stepRef(l, st)
	case lessons.KindRm:
		return "docker rm -f " + m.ctr(st.Arg)
	case lessons.KindDockerfile:
		return "edit " + st.Arg
	case lessons.KindCheck:
		return m.t.Ex.Cmd
	case lessons.KindBuild:
		return m.buildCommand(l, st)
	case lessons.KindStart:
		return "docker run --rm " + m.named(st.Arg)
	case lessons.KindRmi:
		flag, target := "", m.rmiTarget(l, st)
		if s := m.steps[stepKey{l.ID, st.Index}]; s != nil && s.target != "" {
			target = s.target
			if s.forced {
				flag = "-f "
			}
		}
		if target == "" {
			return "docker rmi " + flag + "<none>  " + m.t.RmiNoIDYet
		}
		return "docker rmi " + flag + target
	}
	return string(st.Kind)
}

func (m Model) statusLine(st *lessons.Step, s *stepState, selected bool, width int) string {
	var keys string
	if selected {
		keys = m.st.Key.Render("enter") + " " + m.t.StepRunHint
		if editable(st.Kind) {
			keys += "  " + m.st.Key.Render("e") + " " + m.t.StepEditHint
		}
		if s.status == stepRunning && (st.Kind == lessons.KindPull || st.Kind == lessons.KindBuild) {
			keys = m.st.Key.Render("esc") + " " + m.t.KeyCancel
		}
	}
	var state string
	switch s.status {
	case stepIdle:
		state = m.st.Dim.Render(m.t.StepIdle)
		if st.Kind == lessons.KindCheck {
			state = m.st.Running.Render(m.t.Ex.Waiting)
		}
	case stepRunning:
		state = m.st.Running.Render(m.spin.View() + " " + m.t.StepRunning)
	case stepDone:
		d := ""
		if s.elapsed > 0 {
			d = fmt.Sprintf("%.1f s", s.elapsed.Seconds())
		}
		state = m.st.OK.Render(strings.TrimSpace(tr(m.t.StepDoneFmt, d)))
	case stepFailed:
		state = m.st.Fail.Render(m.t.StepFailed)
		if docker.KindOf(s.err) == docker.KindCanceled {
			state = m.st.Warn.Render(m.t.StepCancelled)
		}
	}
	gap := width - lipgloss.Width(keys) - lipgloss.Width(state)
	if gap < 1 {
		return keys + " " + state
	}
	return keys + strings.Repeat(" ", gap) + state
}

func (m Model) stepOutput(l *lessons.Lesson, st *lessons.Step, s *stepState, width int) string {
	if s.err != nil && (s.status == stepFailed || s.expected) {
		ref := m.stepRef(l, st)
		x := explain(m.t, s.err, ref, m.opts.Mirror)
		if st.Kind == lessons.KindBuild {
			x = m.withAnalysis(l, st, s.err, x)
		}
		box := m.st.ErrorBox
		if s.expected {
			x.Title = m.t.ExpectedPrefix + x.Title
			box = m.st.ExpectedBox
		}
		out := x.render(m.t, m.st, width, box)
		if st.Kind == lessons.KindBuild {
			out = m.buildView(l, st, s, width) + "\n" + out
		}
		if s.exec != nil && (st.Kind == lessons.KindExec || st.Kind == lessons.KindStart) {
			// What the command printed before it was cut off is kept.
			if lines := execLines(m.st, s.exec, width); len(lines) > 0 {
				out = strings.Join(lines, "\n") + "\n" + out
			}
		}
		if _, _, ok := m.canForce(); ok && m.selected[l.ID] == st.Index {
			out += "\n" + lipgloss.NewStyle().Width(width).Render(m.st.Key.Render("f")+" "+m.forceHint(s.err))
		}
		return out
	}
	switch st.Kind {
	case lessons.KindPull:
		if s.status == stepRunning || s.status == stepDone {
			return m.pullView(s, width)
		}
	case lessons.KindImages:
		if s.status == stepDone {
			shot := m.shotOf(s)
			return imagesTable(shot.images, shot.pulled, m.opts.Now(), width, m.st, m.t.TableEmptyImages)
		}
	case lessons.KindPs:
		if s.status == stepDone {
			return containersTable(m.shotOf(s).containers, m.opts.Now(), width, m.st, m.t.TableEmptyContainers)
		}
	case lessons.KindExec:
		if (s.status == stepDone || s.status == stepFailed) && s.exec != nil {
			return execView(m.t, m.st, s.exec, width)
		}
	case lessons.KindDiff:
		if s.status == stepDone {
			return diffView(m.st, m.writable[m.ctr(st.Arg)], width, m.t.DiffEmpty)
		}
	case lessons.KindRun:
		if s.status == stepDone {
			w := m.writable[m.ctr(st.Name)]
			return lipgloss.NewStyle().Width(width).Render(m.st.OK.Render(tr(m.t.RunDoneFmt, m.ctr(st.Name), docker.ShortID(w.Container.ID), m.named(st.Arg))))
		}
	case lessons.KindDockerfile:
		return m.dockerfileCard(l, st, width)
	case lessons.KindCheck:
		return m.exerciseView(st, s, width)
	case lessons.KindBuild:
		return m.buildView(l, st, s, width)
	case lessons.KindStart:
		if s.status == stepDone && s.exec != nil {
			return execView(m.t, m.st, s.exec, width)
		}
	case lessons.KindRmi:
		if s.status == stepDone && s.removed != nil {
			return m.removeOutput(s.removed, width)
		}
	case lessons.KindTag:
		if s.status == stepDone && s.tagged != nil {
			return lipgloss.NewStyle().Width(width).Render(m.st.OK.Render(tr(m.t.TagDoneFmt,
				s.tagged.Target.String(), st.Arg, docker.ShortID(s.tagged.ImageID))))
		}
	case lessons.KindRm:
		if s.status == stepDone {
			return lipgloss.NewStyle().Width(width).Render(m.st.OK.Render(tr(m.t.RmDoneFmt, m.ctr(st.Arg))))
		}
	case lessons.KindCommit:
		if s.status == stepDone && s.commit != nil {
			wrap := lipgloss.NewStyle().Width(width)
			base := m.writable[m.ctr(st.Arg)].Container.Image
			done := tr(m.t.CommitDoneFmt, s.commit.Ref.String(), docker.ShortID(s.commit.ImageID), base)
			switch {
			case s.commit.NoLayer:
				done = tr(m.t.CommitNoLayerFmt, s.commit.Ref.String(), docker.ShortID(s.commit.ImageID), base)
			case s.commit.Empty:
				done = tr(m.t.CommitEmptyFmt, s.commit.Ref.String(), docker.ShortID(s.commit.ImageID), base)
			}
			out := wrap.Render(m.st.OK.Render(done))
			if s.commit.PreviousID != "" && s.commit.PreviousID != s.commit.ImageID {
				out += "\n" + wrap.Render(m.st.Warn.Render(tr(m.t.CommitTagMoved, s.commit.Ref.String(), docker.ShortID(s.commit.PreviousID))))
			}
			return out
		}
	}
	return ""
}

// pullView draws one progress bar per layer, then the totals or the summary.
func (m Model) pullView(s *stepState, width int) string {
	p := s.progress
	var lines []string
	barW := max(min(width-12-20, 30), 6)
	bar := m.bar
	bar.SetWidth(barW)
	for _, l := range p.Layers {
		status := m.phaseName(l.Phase)
		if (l.Phase == docker.PhaseDownloading || l.Phase == docker.PhaseExtracting) && l.Total > 0 {
			status += fmt.Sprintf(" %s/%s", humanSize(l.Current), humanSize(l.Total))
		}
		line := fmt.Sprintf("%-12s %s %s", l.ID, bar.ViewAs(l.Fraction()), status)
		if l.Phase == docker.PhaseExists {
			line = fmt.Sprintf("%-12s %s %s", l.ID, strings.Repeat("═", barW), m.st.Shared.Render(status))
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	done, total := p.Bytes()
	switch {
	case s.status == stepRunning:
		lines = append(lines, m.st.Dim.Render(ansi.Truncate(tr(m.t.PullTotalFmt, humanSize(done), humanSize(total), humanSize(int64(s.rate)))+" · "+m.t.PullCancelHint, width, "…")))
	case s.result != nil:
		fin, existed, all := p.Counts()
		_ = fin
		var sum string
		switch {
		case s.result.Offline:
			where := "Docker Hub"
			if m.opts.Mirror != "" {
				where = m.opts.Mirror
			}
			sum = tr(m.t.Doc.OfflineFmt, where)
		case p.UpToDate && s.result.TagExisted && s.result.PreviousID == s.result.ImageID:
			sum = tr(m.t.PullUpToDateFmt, s.result.Ref.String())
		case p.UpToDate:
			// The name is new (or moved), but every layer was on disk already.
			sum = tr(m.t.PullLayersHereFmt, s.result.Ref.String())
		default:
			sum = tr(m.t.PullDoneFmt, s.result.Ref.String(), all, all-existed, existed)
		}
		if s.result.From != s.result.Ref.Full() && !s.result.Offline {
			sum += " " + tr(m.t.PullMirrorFmt, m.opts.Mirror)
		}
		wrap := lipgloss.NewStyle().Width(width)
		lines = append(lines, wrap.Render(m.st.OK.Render(sum)))
		if p.Digest != "" {
			lines = append(lines, m.st.Dim.Render(ansi.Truncate("Digest: "+p.Digest, width, "…")))
		}
		if existed > 0 {
			lines = append(lines, wrap.Render(m.st.Shared.Render(m.t.PullExisted)))
		}
	}
	return strings.Join(lines, "\n")
}

func (m Model) phaseName(p docker.Phase) string {
	switch p {
	case docker.PhaseDownloading:
		return m.t.PhaseDownloading
	case docker.PhaseVerifying:
		return m.t.PhaseVerifying
	case docker.PhaseDownloaded:
		return m.t.PhaseDownloaded
	case docker.PhaseExtracting:
		return m.t.PhaseExtracting
	case docker.PhaseComplete:
		return m.t.PhaseComplete
	case docker.PhaseExists:
		return m.t.PhaseExists
	}
	return m.t.PhaseWaiting
}

func (m Model) startEdit() (tea.Model, tea.Cmd) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 || !m.idle() {
		return m, nil
	}
	st := l.Steps[m.selected[l.ID]]
	if !editable(st.Kind) {
		return m, nil
	}
	m.input.Prompt = m.t.EditPrompt
	if st.Kind == lessons.KindExec {
		m.input.Prompt = m.t.EditCmdPrompt
	}
	m.editing = true
	m.input.SetValue(m.stepRef(l, st))
	m.input.CursorEnd()
	cmd := m.input.Focus()
	m.refresh()
	m.scrollToStep(st.Index)
	return m, cmd
}

func (m Model) handleEditKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	l := m.lesson()
	st := l.Steps[m.selected[l.ID]]
	switch msg.String() {
	case "esc":
		m.editing = false
		m.input.Blur()
		m.refresh()
		return m, nil
	case "enter":
		v := strings.TrimSpace(m.input.Value())
		if err := validateEdit(st.Kind, v); err != nil {
			return m, nil // the rule it breaks is on screen under the input
		}
		s := m.state(stepKey{l.ID, st.Index})
		s.ref = v
		if s.status != stepRunning {
			*s = stepState{ref: v}
		}
		m.editing = false
		m.input.Blur()
		m.refresh()
		m.scrollToStep(st.Index)
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.refresh()
	return m, cmd
}

// shellQuote quotes a command for display the way a learner would type it.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// shotOf is what a table step shows: the picture taken when it ran, or, until
// that picture is read, the current one.
func (m Model) shotOf(s *stepState) tableShot {
	if s.table != nil {
		return *s.table
	}
	return tableShot{images: m.images, containers: m.containers, pulled: m.lastPulledID}
}
