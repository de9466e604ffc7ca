package tui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
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
	before := render.LastDone(s.Build)
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
	if d := render.LastDone(s.Build); d != nil && (before == nil || d.Index != before.Index) && d.ImageID != "" {
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
	cmds = append(cmds, stackCmd(m.opts.Client, ref), clearHighlightAfter(m.pic.highlightGen), m.pane.ReadAhead(res.ImageID))
	return m, tea.Batch(cmds...)
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
	top := render.LastDone(s.Build)
	if top == nil || !strings.HasPrefix(strings.TrimPrefix(stack.ID, "sha256:"), top.ImageID) {
		return nil
	}
	marks := map[int]string{}
	n := len(stack.Layers)
	j := 0
	for i := len(s.Build.Steps) - 1; i >= 1; i-- {
		bs := s.Build.Steps[i]
		if !bs.Done || bs.Index > top.Index || s.Build.Buildah && (bs.Stage != top.Stage || bs.Index == 1) {
			continue // (Podman numbers each stage's steps from its FROM)
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

// failedAt is the selected step when it is a build that failed at a step of
// its Dockerfile: the file (relative to the lesson's workspace) and line that
// o opens.
func (m Model) failedAt() (*lessons.Lesson, *lessons.Step, string, int, bool) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 {
		return nil, nil, "", 0, false
	}
	st := l.Steps[min(m.work.eng.Selected[l.ID], len(l.Steps)-1)]
	s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]
	var de *docker.Error
	if st.Kind != lessons.KindBuild || s == nil || s.Build == nil || !errors.As(s.Err, &de) || de.Line == 0 {
		return nil, nil, "", 0, false
	}
	dir, ok := m.work.workspaces[l.ID]
	if !ok {
		return nil, nil, "", 0, false
	}
	rel, err := filepath.Rel(dir, s.Build.Context.Dockerfile)
	if err != nil || !lessons.InsideWorkspace(filepath.ToSlash(rel)) {
		return nil, nil, "", 0, false
	}
	return l, st, filepath.ToSlash(rel), de.Line, true
}
