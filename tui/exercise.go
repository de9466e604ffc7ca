package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Exercises are done with the real docker CLI in the learner's own terminal.
// layerlab sees the daemon change (its events) and checks the daemon's state:
// a check that is not met says precisely what is missing.

// checkExercises marks the open lesson's exercises done when the daemon
// shows them done (the lesson engine judges), and reads the image settings a
// check still needs.
func (m *Model) checkExercises() tea.Cmd {
	l := m.lesson()
	if l == nil {
		return nil
	}
	w := engine.World{Images: m.pic.images, Containers: m.pic.containers, DiffIDs: m.pic.diffIDs,
		Stacks: map[string]docker.LayerStack{}, Files: map[string]string{}}
	for k, v := range m.work.files {
		if rel, ok := strings.CutPrefix(k, l.ID+"/"); ok {
			w.Files[rel] = v
		}
	}
	for ref, e := range m.pic.stacks {
		if e.found {
			w.Stacks[ref] = e.stack
		}
	}
	var cmds []tea.Cmd
	for _, ref := range m.work.eng.CheckExercises(l, w) {
		e, seen := m.pic.stacks[ref]
		// Read its settings once per image id; a failed read is not retried here.
		if !e.loading && e.err == nil && (!seen || e.found) {
			e.loading = true
			m.pic.stacks[ref] = e
			cmds = append(cmds, stackCmd(m.opts.Client, ref))
		}
	}
	return tea.Batch(cmds...)
}

// exerciseView is an exercise's card output: where to do it, what is
// missing, the hints asked for.
func (m Model) exerciseView(st *lessons.Step, s *engine.StepState, width int) string {
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	if s.Status == engine.Done {
		return wrap.Render(m.st.OK.Render(m.t.Ex.Done))
	}
	where := m.t.Ex.Where
	if m.opts.SecondSession != "" {
		where = tr(m.t.Ex.WhereSessionFmt, m.opts.SecondSession)
	}
	lines = append(lines, wrap.Render(m.st.Dim.Render(where)))
	if why := i18n.WhyText(m.t, s.Why); why != "" {
		lines = append(lines, wrap.Render(m.st.Warn.Render("… "+why)))
	}
	hints := st.HintList()
	for i := 0; i < s.Hints && i < len(hints); i++ {
		lines = append(lines, wrap.Render(m.st.Shared.Render(tr(m.t.Ex.HintFmt, i+1, len(hints), m.withMirror(hints[i])))))
	}
	if s.Hints < len(hints) {
		lines = append(lines, m.st.Key.Render(m.keys.Hint.Help().Key)+" "+m.st.Dim.Render(m.t.Ex.HintKey))
	}
	return strings.Join(lines, "\n")
}

// withMirror puts the registry mirror layerlab was started with where a
// lesson's hint says MIRROR (a classroom without internet), or says what
// stands there when there is none.
func (m Model) withMirror(hint string) string {
	mirror := m.opts.Mirror
	if mirror == "" {
		mirror = m.t.Ex.MirrorPlaceholder
	}
	return strings.ReplaceAll(hint, "MIRROR", mirror)
}
