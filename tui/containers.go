package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/tui/render"
)

// stepDoneMsg ends a step that is one daemon call (run, exec, diff, commit,
// tag, rm, start, rmi).
type stepDoneMsg struct{ engine.Outcome }

// callCmd makes a step's one daemon call.
func callCmd(c Daemon, call engine.Call) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		return stepDoneMsg{call.Do(ctx, c)}
	}
}

type writableMsg struct {
	name  string
	layer docker.WritableLayer
	err   error
}

type removedMsg struct {
	lesson string
	err    error
}

func writableCmd(c Daemon, name string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		w, err := c.Writable(ctx, name)
		return writableMsg{name: name, layer: w, err: err}
	}
}

// removeLessonContainers removes the containers of a lesson ("" for every
// lesson) that layerlab's record has and mine says this window started:
// never anything layerlab did not create, nor another window's.
func removeLessonContainers(c Daemon, lesson string, mine func(id string) bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		list, err := c.OwnedContainers(ctx, lesson)
		if err != nil {
			return removedMsg{lesson: lesson, err: err}
		}
		for _, ct := range list {
			if !mine(ct.ID) {
				// Another window's (or plain run's) on the same state
				// folder: layerlab's, but not this window's to end.
				continue
			}
			if err := c.RemoveContainer(ctx, ct.ID); err != nil {
				return removedMsg{lesson: lesson, err: err}
			}
		}
		return removedMsg{lesson: lesson}
	}
}

// stepDone folds the end of a one-call step into the model.
func (m Model) stepDone(msg stepDoneMsg) (tea.Model, tea.Cmd) {
	m.work.busy = nil
	_, st := m.stepOf(msg.Key)
	s := m.work.eng.Finish(st, msg.Outcome)
	cmds := []tea.Cmd{m.snapshot()}
	if msg.Refresh != "" && msg.Err == nil {
		cmds = append(cmds, writableCmd(m.opts.Client, msg.Refresh))
	}
	if msg.Removed != nil && msg.Err == nil {
		m.pic.removal[msg.Key.Lesson] = msg.Removed
	}
	if msg.Gone != "" && msg.Err == nil {
		delete(m.pic.writable, msg.Gone)
		delete(m.work.started, msg.Gone)
	}
	if s.Status == engine.Failed && msg.Err != nil {
		if docker.IsConnection(msg.Err) && docker.KindOf(msg.Err) != docker.KindInterrupted {
			m.daemon.conn, m.daemon.connErr = connDown, msg.Err
		}
		return m, tea.Batch(cmds...)
	}
	if msg.Err == nil {
		if msg.Container != nil {
			m.work.started[msg.Container.Name] = startedContainer{lesson: msg.Key.Lesson, id: msg.Container.ID}
		}
		if msg.Commit != nil {
			cmds = append(cmds, m.showNewImage(msg.Key.Lesson, msg.Commit.Ref.String(), msg.Commit.ImageID))
		}
		if msg.Loaded != nil && len(msg.Loaded.Loaded) > 0 && len(msg.Loaded.IDs) > 0 {
			cmds = append(cmds, m.showNewImage(msg.Key.Lesson, msg.Loaded.Loaded[0], msg.Loaded.IDs[0]))
		}
		if msg.Removed != nil {
			// The removed image may be what the panel showed: read it again.
			delete(m.pic.stacks, m.subject())
			cmds = append(cmds, m.loadPanel())
		}
	}
	return m, tea.Batch(cmds...)
}

// containersView draws the lesson's containers as what they are: the image's
// layers (shared, drawn as one block) under each container's own writable layer.
func (m Model) containersView(l *lessons.Lesson, width int) []string {
	var names []string
	seen := map[string]bool{}
	for _, st := range l.Steps {
		if name := m.work.eng.Ctr(st.Name); st.Kind == lessons.KindRun && !seen[name] {
			if _, ok := m.pic.writable[name]; ok {
				names = append(names, name)
				seen[name] = true
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	out := []string{"", lipgloss.NewStyle().Width(width).Render(m.st.Dim.Render(m.t.ContainersTitle))}
	for _, n := range names {
		w := m.pic.writable[n]
		state := w.Container.State
		if word, ok := m.t.CtrStates[state]; ok {
			state = word
		}
		// The size is what the lessons point at: when the line cannot hold
		// it, it goes on a line of its own rather than being cut.
		head := m.st.New.Render("▒ ") + m.st.Bold.Render(n) + m.st.Dim.Render(fmt.Sprintf(" (%s)", state))
		size := tr(m.t.WritableFmt, render.HumanSize(w.Size))
		if lipgloss.Width(head)+1+lipgloss.Width(size) <= width {
			out = append(out, head+" "+size)
		} else {
			out = append(out, ansi.Truncate(head, width, "…"), ansi.Truncate("  "+size, width, "…"))
		}
		max := 4
		for i, ch := range w.Changes {
			if i == max {
				out = append(out, m.st.Dim.Render(fmt.Sprintf("    … %d more", len(w.Changes)-max)))
				break
			}
			out = append(out, ansi.Truncate("    "+render.ChangeStyle(m.st, ch.Kind).Render(ch.Kind.Letter())+" "+ch.Path, width, "…"))
		}
		img := w.Container.Image
		out = append(out, ansi.Truncate(m.st.Dim.Render("  ═ "+tr(m.t.ImageLayersFmt, img, docker.ShortID(w.Container.ImageID))), width, "…"))
	}
	return out
}
