package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
)

// Exercises are done with the real docker CLI in the learner's own terminal.
// layerlab sees the daemon change (its events) and checks the daemon's state:
// a check that is not met says precisely what is missing.

// showExercises notes the open lesson's exercises as shown from now, by
// the daemon's clock (its events are dated by it): what the learner does
// from then on counts, not what was there before. Until the event stream
// is up, the daemon's clock is not known and nothing it did would be seen:
// they are shown when it starts. Without a stream at all (Options.Live
// off) this machine's clock stands in. It reports whether one was shown
// now: it is judged on the picture as it is (judgeShown).
func (m *Model) showExercises() bool {
	l := m.lesson()
	if l == nil || m.nav.screen != screenLesson {
		return false
	}
	var at time.Time
	switch {
	case m.daemon.events.live:
		at = time.Now().Add(m.daemon.events.offset)
	case !m.opts.Live:
		at = time.Now()
	default:
		return false
	}
	return m.work.eng.ShowExercises(l, at)
}

// judgeShown shows the open lesson's exercises (showExercises) and, if one
// was shown now and the daemon's lists have been read, judges them on the
// picture as it is: a removal sees its image there before the learner
// removes it, an image from before is said to be from before.
func (m *Model) judgeShown() tea.Cmd {
	if m.showExercises() && m.pic.read {
		return m.checkExercises()
	}
	return nil
}

// checkExercises marks the open lesson's exercises done when the daemon
// shows them done (the lesson engine judges), and reads the image settings a
// check still needs.
func (m *Model) checkExercises() tea.Cmd {
	l := m.lesson()
	if l == nil {
		return nil
	}
	w := engine.World{Images: m.pic.images, Containers: m.pic.containers, Volumes: m.pic.volumes, DiffIDs: m.pic.diffIDs,
		Stacks: map[string]docker.LayerStack{}, Files: map[string]string{}, Offset: m.daemon.events.offset}
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
	w.Layers = map[string][]docker.LayerFiles{}
	for id, e := range m.pane.files {
		if !e.loading && e.err == nil && e.all {
			w.Layers[id] = e.layers
		}
	}
	var cmds []tea.Cmd
	for _, id := range m.work.eng.NeedLayers(l, w) {
		// Read once per image id: a failed read is not retried here.
		if e, seen := m.pane.files[id]; !seen || e.err == nil {
			var cmd tea.Cmd
			m.pane, cmd = m.pane.Read(id, "")
			cmds = append(cmds, cmd)
		}
	}
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
