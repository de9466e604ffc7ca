package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
)

// The daemon's events keep the picture current: whatever changes the
// daemon (a step, the learner's other terminal, anything) redraws the
// tables and the panel, without polling. A broken stream is reconnected with
// backoff, and the picture is read again in full.

type (
	eventsStartedMsg struct {
		gen    int
		cancel context.CancelFunc
		next   tea.Cmd
	}
	daemonEventsMsg struct {
		gen    int
		events []docker.Event
		next   tea.Cmd
	}
	eventsEndedMsg struct {
		gen int
		err error
	}
	eventsRetryMsg struct{ gen int }
)

// eventsCmd subscribes to the daemon's events.
func eventsCmd(c *docker.Client, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithCancel(context.Background())
		ch, errc := c.Events(ctx)
		return eventsStartedMsg{gen: gen, cancel: cancel, next: waitEvents(gen, ch, errc)}
	}
}

// waitEvents hands on the next events: one, and those that come with it
// within a frame, so a burst (a pull tags, a build creates and removes
// containers) is one redraw.
func waitEvents(gen int, ch <-chan docker.Event, errc <-chan error) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev := <-ch:
			evs := []docker.Event{ev}
			deadline := time.After(frameInterval)
			for {
				select {
				case ev := <-ch:
					evs = append(evs, ev)
				case <-deadline:
					return daemonEventsMsg{gen: gen, events: evs, next: waitEvents(gen, ch, errc)}
				}
			}
		case err := <-errc:
			return eventsEndedMsg{gen: gen, err: err}
		}
	}
}

// eventsBackoff is how long to wait before the n-th reconnection.
func eventsBackoff(n int) time.Duration {
	d := 250 * time.Millisecond << min(n, 5)
	return min(d, 8*time.Second)
}

// startEvents subscribes once the daemon answers (again).
func (m *Model) startEvents() tea.Cmd {
	if !m.opts.Live || m.events.cancel != nil {
		return nil
	}
	m.events.gen++
	return eventsCmd(m.opts.Client, m.events.gen)
}

// handleEvents folds the events messages in.
func (m Model) handleEvents(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case eventsStartedMsg:
		if msg.gen != m.events.gen {
			msg.cancel()
			return m, nil
		}
		resync := m.events.lost
		m.events.cancel, m.events.live, m.events.lost, m.events.retries = msg.cancel, true, false, 0
		cmds := []tea.Cmd{msg.next}
		if resync {
			// What happened while the stream was down is read in full.
			cmds = append(cmds, m.snapshot(), m.loadPanel())
		}
		return m, tea.Batch(cmds...)
	case daemonEventsMsg:
		if msg.gen != m.events.gen {
			return m, nil
		}
		m.events.last = time.Now()
		return m, tea.Batch(msg.next, m.eventSnapshot(msg.events))
	case eventsEndedMsg:
		if msg.gen != m.events.gen || m.events.quitting {
			return m, nil
		}
		m.events.cancel, m.events.live, m.events.lost = nil, false, true
		m.events.retries++
		gen := m.events.gen
		return m, tea.Tick(eventsBackoff(m.events.retries), func(time.Time) tea.Msg { return eventsRetryMsg{gen: gen} })
	case eventsRetryMsg:
		if msg.gen != m.events.gen || m.conn != connUp {
			return m, nil
		}
		return m, m.startEvents()
	}
	return m, nil
}

// eventSnapshot reads the daemon's picture again after events, one read at a
// time: events that come while a read is in flight ask for one more.
func (m *Model) eventSnapshot(evs []docker.Event) tea.Cmd {
	var cmds []tea.Cmd
	for _, ev := range evs {
		if ev.Type == "container" && ev.Name != "" {
			if _, ok := m.writable[ev.Name]; ok && ev.Action != "destroy" {
				cmds = append(cmds, writableCmd(m.opts.Client, ev.Name))
			}
		}
	}
	if m.events.reading {
		m.events.dirty = true
		return tea.Batch(cmds...)
	}
	m.events.reading = true
	// The panel's image may have been tagged, untagged, rebuilt: read it
	// again (the old picture stays on screen until the new one is there).
	cmds = append(cmds, m.loadPanel())
	return tea.Batch(append(cmds, m.snapshot())...)
}

// eventState is the subscription to the daemon's events.
type eventState struct {
	gen      int
	cancel   context.CancelFunc
	live     bool
	lost     bool
	quitting bool
	retries  int
	reading  bool
	dirty    bool
	last     time.Time
}
