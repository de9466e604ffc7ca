package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
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
