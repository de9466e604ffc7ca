package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	s := m.work.eng.State(k)
	s.Note = engine.NoteNone
	switch {
	case !m.idle():
		s.Note = engine.NoteBusy
		return m, nil
	case m.daemon.conn != connUp && st.Kind != lessons.KindDockerfile: // editing a file needs no daemon
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
	case lessons.KindImages, lessons.KindPs:
		s.Status, s.Err, s.Table, s.AwaitTable = engine.Done, nil, nil, true
		return m, m.snapshot()
	case lessons.KindRmi:
		return m.runRemoval(l, st, false)
	case lessons.KindDockerfile:
		return m.openEditor(l, st)
	case lessons.KindCheck:
		check := m.checkExercises()
		return m, tea.Batch(check, m.snapshot())
	case lessons.KindBuild:
		return m.runBuild(l, st)
	}
	call, ok, err := m.work.eng.Prepare(l, st)
	switch {
	case !ok:
		return m, nil
	case err != nil:
		s.Status, s.Err = engine.Failed, err
		return m, nil
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
	return tea.Batch(stackCmd(m.opts.Client, ref), clearHighlightAfter(m.pic.highlightGen))
}

// stepCard draws one step: title, the command it runs, its state and output.
func (m Model) stepCard(l *lessons.Lesson, st *lessons.Step, width int) string {
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	s := m.work.eng.Steps[k]
	if s == nil {
		s = &engine.StepState{}
	}
	selected := m.work.eng.Selected[l.ID] == st.Index
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
		if rule := i18n.EditRule(m.t, engine.ValidateEdit(st.Kind, m.input.Value())); rule != "" {
			b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Warn.Render("! "+rule)))
		}
		b = append(b, m.st.Dim.Render(m.t.EditHint))
	} else {
		// A long command wraps: it is the thing to read and type.
		b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Command.Render(cmdLine)))
		b = append(b, m.statusLine(st, s, selected, inner))
	}
	if note := i18n.NoteText(m.t, s); note != "" {
		b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Warn.Render(note)))
	}
	if r := i18n.RenamedText(m.t, s); r != "" {
		b = append(b, lipgloss.NewStyle().Width(inner).Render(m.st.Warn.Render(r)))
	}
	if out := m.stepOutput(l, st, s, inner); out != "" {
		b = append(b, out)
	}
	return box.Width(width).Render(strings.Join(b, "\n"))
}

func (m Model) commandFor(l *lessons.Lesson, st *lessons.Step) string {
	switch st.Kind {
	case lessons.KindPull:
		return "docker pull " + m.work.eng.Ref(l, st)
	case lessons.KindImages:
		return "docker images"
	case lessons.KindPs:
		return "docker ps -a"
	case lessons.KindRun:
		return "docker run -dit --name " + m.work.eng.Ctr(st.Name) + " " + m.work.eng.Named(st.Arg)
	case lessons.KindExec:
		return "docker exec " + m.work.eng.Ctr(st.Arg) + " sh -c " + shellQuote(m.work.eng.Ref(l, st))
	case lessons.KindDiff:
		return "docker diff " + m.work.eng.Ctr(st.Arg)
	case lessons.KindCommit:
		return "docker commit " + m.work.eng.Ctr(st.Arg) + " " + m.work.eng.Ref(l, st)
	case lessons.KindTag:
		return "docker tag " + m.work.eng.Named(st.Arg) + " " + m.work.eng.Ref(l, st)
	case lessons.KindRm:
		return "docker rm -f " + m.work.eng.Ctr(st.Arg)
	case lessons.KindDockerfile:
		return "edit " + st.Arg
	case lessons.KindCheck:
		if m.opts.SecondSession != "" {
			return tr(m.t.Ex.CmdSessionFmt, m.opts.SecondSession)
		}
		return m.t.Ex.Cmd
	case lessons.KindBuild:
		return m.buildCommand(l, st)
	case lessons.KindStart:
		return "docker run --rm " + m.work.eng.Named(st.Arg)
	case lessons.KindRmi:
		flag, target := "", m.work.eng.RmiTarget(l, st, m.pic.images)
		if s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]; s != nil && s.Target != "" {
			target = s.Target
			if s.Forced {
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

func (m Model) statusLine(st *lessons.Step, s *engine.StepState, selected bool, width int) string {
	var keys string
	if selected {
		// What enter does on this card, as the footer says it.
		run := m.t.StepRunHint
		switch st.Kind {
		case lessons.KindDockerfile:
			run = m.t.DF.OpenHint
		case lessons.KindCheck:
			run = m.t.Ex.CheckNow
		}
		keys = m.st.Key.Render(m.keys.Run.Help().Key) + " " + run
		if engine.Editable(st.Kind) {
			keys += "  " + m.st.Key.Render(m.keys.Edit.Help().Key) + " " + m.t.StepEditHint
		}
		if s.Status == engine.Running && (st.Kind == lessons.KindPull || st.Kind == lessons.KindBuild) {
			keys = m.st.Key.Render(m.keys.Cancel.Help().Key) + " " + m.t.KeyCancel
		}
	}
	var state string
	switch s.Status {
	case engine.Idle:
		state = m.st.Dim.Render(m.t.StepIdle)
		if st.Kind == lessons.KindCheck {
			state = m.st.Running.Render(m.t.Ex.Waiting)
		}
	case engine.Running:
		state = m.st.Running.Render(m.look.spin.View() + " " + m.t.StepRunning)
	case engine.Done:
		d := ""
		if s.Elapsed > 0 {
			d = fmt.Sprintf("%.1f s", s.Elapsed.Seconds())
		}
		state = m.st.OK.Render(strings.TrimSpace(tr(m.t.StepDoneFmt, d)))
	case engine.Failed:
		state = m.st.Fail.Render(m.t.StepFailed)
		if docker.KindOf(s.Err) == docker.KindCanceled {
			state = m.st.Warn.Render(m.t.StepCancelled)
		}
	}
	gap := width - lipgloss.Width(keys) - lipgloss.Width(state)
	if gap < 1 {
		return keys + " " + state
	}
	return keys + strings.Repeat(" ", gap) + state
}

func (m Model) stepOutput(l *lessons.Lesson, st *lessons.Step, s *engine.StepState, width int) string {
	if s.Err != nil && (s.Status == engine.Failed || s.Expected) {
		return m.stepErrorView(l, st, s, width)
	}
	switch st.Kind {
	case lessons.KindPull:
		if s.Status == engine.Running || s.Status == engine.Done {
			return m.pullView(s, width)
		}
	case lessons.KindImages:
		if s.Status == engine.Done {
			shot := m.shotOf(s)
			return render.ImagesTable(shot.Images, shot.Pulled, m.opts.Now(), width, m.st, m.t.TableEmptyImages)
		}
	case lessons.KindPs:
		if s.Status == engine.Done {
			return render.ContainersTable(m.shotOf(s).Containers, m.opts.Now(), width, m.st, m.t.TableEmptyContainers)
		}
	case lessons.KindExec:
		if (s.Status == engine.Done || s.Status == engine.Failed) && s.Exec != nil {
			return execView(m.t, m.st, s.Exec, width)
		}
	case lessons.KindDiff:
		if s.Status == engine.Done {
			return diffView(m.st, m.pic.writable[m.work.eng.Ctr(st.Arg)], width, m.t.DiffEmpty)
		}
	case lessons.KindRun:
		if s.Status == engine.Done {
			w := m.pic.writable[m.work.eng.Ctr(st.Name)]
			return lipgloss.NewStyle().Width(width).Render(m.st.OK.Render(tr(m.t.RunDoneFmt, m.work.eng.Ctr(st.Name), docker.ShortID(w.Container.ID), m.work.eng.Named(st.Arg))))
		}
	case lessons.KindDockerfile:
		return m.dockerfileCard(l, st, width)
	case lessons.KindCheck:
		return m.exerciseView(st, s, width)
	case lessons.KindBuild:
		return m.buildView(l, st, s, width)
	case lessons.KindStart:
		if s.Status == engine.Done && s.Exec != nil {
			return execView(m.t, m.st, s.Exec, width)
		}
	case lessons.KindRmi:
		if s.Status == engine.Done && s.Removed != nil {
			return m.removeOutput(s.Removed, width)
		}
	case lessons.KindTag:
		if s.Status == engine.Done && s.Tagged != nil {
			return lipgloss.NewStyle().Width(width).Render(m.st.OK.Render(tr(m.t.TagDoneFmt,
				s.Tagged.Target.String(), st.Arg, docker.ShortID(s.Tagged.ImageID))))
		}
	case lessons.KindRm:
		if s.Status == engine.Done {
			return lipgloss.NewStyle().Width(width).Render(m.st.OK.Render(tr(m.t.RmDoneFmt, m.work.eng.Ctr(st.Arg))))
		}
	case lessons.KindCommit:
		if s.Status == engine.Done && s.Commit != nil {
			return m.commitView(st, s, width)
		}
	}
	return ""
}

// pullView draws one progress bar per layer, then the totals or the summary.
func (m Model) pullView(s *engine.StepState, width int) string {
	p := s.Progress
	var lines []string
	barW := max(min(width-12-20, 30), 6)
	bar := m.look.bar
	bar.SetWidth(barW)
	for _, l := range p.Layers {
		status := m.phaseName(l.Phase)
		if (l.Phase == docker.PhaseDownloading || l.Phase == docker.PhaseExtracting) && l.Total > 0 {
			status += fmt.Sprintf(" %s/%s", render.HumanSize(l.Current), render.HumanSize(l.Total))
		}
		line := fmt.Sprintf("%-12s %s %s", l.ID, bar.ViewAs(l.Fraction()), status)
		if l.Phase == docker.PhaseExists {
			line = fmt.Sprintf("%-12s %s %s", l.ID, strings.Repeat("═", barW), m.st.Shared.Render(status))
		}
		lines = append(lines, ansi.Truncate(line, width, "…"))
	}
	done, total := p.Bytes()
	switch {
	case s.Status == engine.Running:
		lines = append(lines, m.st.Dim.Render(ansi.Truncate(tr(m.t.PullTotalFmt, render.HumanSize(done), render.HumanSize(total), render.HumanSize(int64(s.Rate)))+" · "+m.t.PullCancelHint, width, "…")))
	case s.Result != nil:
		fin, existed, all := p.Counts()
		_ = fin
		var sum string
		switch {
		case s.Result.Offline:
			where := "Docker Hub"
			if m.opts.Mirror != "" {
				where = m.opts.Mirror
			}
			sum = tr(m.t.Doc.OfflineFmt, where)
		case p.UpToDate && s.Result.TagExisted && s.Result.PreviousID == s.Result.ImageID:
			sum = tr(m.t.PullUpToDateFmt, s.Result.Ref.String())
		case p.UpToDate:
			// The name is new (or moved), but every layer was on disk already.
			sum = tr(m.t.PullLayersHereFmt, s.Result.Ref.String())
		default:
			sum = tr(m.t.PullDoneFmt, s.Result.Ref.String(), all, all-existed, existed)
		}
		if s.Result.From != s.Result.Ref.Full() && !s.Result.Offline {
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
	st := l.Steps[m.work.eng.Selected[l.ID]]
	if !engine.Editable(st.Kind) {
		return m, nil
	}
	m.input.Prompt = m.t.EditPrompt
	if st.Kind == lessons.KindExec {
		m.input.Prompt = m.t.EditCmdPrompt
	}
	m.editing = true
	m.input.SetValue(m.work.eng.Ref(l, st))
	m.input.CursorEnd()
	cmd := m.input.Focus()
	m.scrollToStep(st.Index)
	return m, cmd
}

func (m Model) handleEditKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	l := m.lesson()
	st := l.Steps[m.work.eng.Selected[l.ID]]
	switch {
	case key.Matches(msg, m.keys.EditCancel):
		m.editing = false
		m.input.Blur()
		return m, nil
	case key.Matches(msg, m.keys.EditKeep):
		v := strings.TrimSpace(m.input.Value())
		if err := engine.ValidateEdit(st.Kind, v); err != nil {
			return m, nil // the rule it breaks is on screen under the input
		}
		s := m.work.eng.State(engine.StepKey{Lesson: l.ID, Index: st.Index})
		s.Ref = v
		if s.Status != engine.Running {
			*s = engine.StepState{Ref: v}
		}
		m.editing = false
		m.input.Blur()
		m.scrollToStep(st.Index)
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// shellQuote quotes a command for display the way a learner would type it.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// shotOf is what a table step shows: the picture taken when it ran, or, until
// that picture is read, the current one.
func (m Model) shotOf(s *engine.StepState) engine.TableShot {
	if s.Table != nil {
		return *s.Table
	}
	return engine.TableShot{Images: m.pic.images, Containers: m.pic.containers, Pulled: m.pic.lastPulledID}
}

// stepErrorView is a failed step (or the failure its lesson meant): what
// it printed before, the explanation, and f when force would do.
func (m Model) stepErrorView(l *lessons.Lesson, st *lessons.Step, s *engine.StepState, width int) string {
	ref := m.work.eng.Ref(l, st)
	x := i18n.Explain(m.t, s.Err, ref, m.opts.Mirror)
	if st.Kind == lessons.KindBuild {
		x = m.withAnalysis(l, st, s.Err, x)
	}
	box := m.st.ErrorBox
	if s.Expected {
		x.Title, x.Expected = m.t.ExpectedPrefix+x.Title, true
		box = m.st.ExpectedBox
	}
	out := render.RenderExplanation(x, m.t, m.st, width, box)
	if st.Kind == lessons.KindBuild {
		out = m.buildView(l, st, s, width) + "\n" + out
	}
	if s.Exec != nil && (st.Kind == lessons.KindExec || st.Kind == lessons.KindStart) {
		// What the command printed before it was cut off is kept.
		if lines := execLines(m.st, s.Exec, width); len(lines) > 0 {
			out = strings.Join(lines, "\n") + "\n" + out
		}
	}
	if _, _, ok := m.canForce(); ok && m.work.eng.Selected[l.ID] == st.Index {
		out += "\n" + lipgloss.NewStyle().Width(width).Render(m.st.Key.Render(m.keys.Force.Help().Key)+" "+m.forceHint(s.Err))
	}
	return out
}

// commitView is a commit's outcome: the new image on its base, or that it
// saved nothing, and a tag it moved.
func (m Model) commitView(st *lessons.Step, s *engine.StepState, width int) string {
	wrap := lipgloss.NewStyle().Width(width)
	base := m.pic.writable[m.work.eng.Ctr(st.Arg)].Container.Image
	done := tr(m.t.CommitDoneFmt, s.Commit.Ref.String(), docker.ShortID(s.Commit.ImageID), base)
	switch {
	case s.Commit.NoLayer:
		done = tr(m.t.CommitNoLayerFmt, s.Commit.Ref.String(), docker.ShortID(s.Commit.ImageID), base)
	case s.Commit.Empty:
		done = tr(m.t.CommitEmptyFmt, s.Commit.Ref.String(), docker.ShortID(s.Commit.ImageID), base)
	}
	out := wrap.Render(m.st.OK.Render(done))
	if s.Commit.PreviousID != "" && s.Commit.PreviousID != s.Commit.ImageID {
		out += "\n" + wrap.Render(m.st.Warn.Render(tr(m.t.CommitTagMoved, s.Commit.Ref.String(), docker.ShortID(s.Commit.PreviousID))))
	}
	return out
}
