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
		// offset is the daemon's clock minus this machine's; since is the
		// daemon's time when the stream started.
		offset time.Duration
		since  time.Time
	}
	heartbeatDueMsg struct{ gen int }
	heartbeatMsg    struct {
		gen    int
		until  time.Time
		events []docker.Event
		err    error
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
	// eventsGapMsg are the events of the time the stream was down, asked
	// of the daemon's memory when it is back.
	eventsGapMsg struct {
		gen    int
		events []docker.Event
	}
)

// eventsCmd subscribes to the daemon's events, noting the daemon's clock
// for the heartbeat.
func eventsCmd(c Daemon, gen int) tea.Cmd {
	return func() tea.Msg {
		var offset time.Duration
		cctx, ccancel := context.WithTimeout(context.Background(), heartbeatTimeout)
		since, err := c.Clock(cctx)
		ccancel()
		if err == nil {
			offset = time.Until(since)
		} else {
			since = time.Now()
		}
		ctx, cancel := context.WithCancel(context.Background())
		ch, errc := c.Events(ctx)
		return eventsStartedMsg{gen: gen, cancel: cancel, next: waitEvents(gen, ch, errc), offset: offset, since: since}
	}
}

// The heartbeat: a stream can go silent without an error (a tunnel or proxy
// that drops an idle connection, a daemon that stops writing). Every
// interval layerlab asks the daemon, in one short call that reads its
// memory of recent events, what happened since the last check; an event the
// stream did not bring means the stream is dead: it is cut, reconnected and
// the picture read again. Nothing happening costs one tiny call per interval.
const (
	// DefaultHeartbeat is how often the stream is checked.
	DefaultHeartbeat = 10 * time.Second
	// heartbeatGrace is how long an event may take to come down a live stream.
	heartbeatGrace   = 2 * time.Second
	heartbeatTimeout = 5 * time.Second
)

func (m Model) heartbeatEvery() time.Duration {
	if m.opts.Heartbeat > 0 {
		return m.opts.Heartbeat
	}
	return DefaultHeartbeat
}

func heartbeatTick(gen int, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return heartbeatDueMsg{gen: gen} })
}

// heartbeatCmd asks the daemon for the events between since and until (its clock).
func heartbeatCmd(c Daemon, gen int, since, until time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), heartbeatTimeout)
		defer cancel()
		evs, err := c.EventsBetween(ctx, since, until)
		return heartbeatMsg{gen: gen, until: until, events: evs, err: err}
	}
}

// gapCmd asks the daemon for the events between since and until (its
// clock): what happened while the stream was down. The exercises are judged
// on what the learner did, and that is read from the events.
func gapCmd(c Daemon, gen int, since, until time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), heartbeatTimeout)
		defer cancel()
		evs, _ := c.EventsBetween(ctx, since, until)
		return eventsGapMsg{gen: gen, events: evs}
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
	if !m.opts.Live || m.daemon.events.cancel != nil {
		return nil
	}
	m.daemon.events.gen++
	return eventsCmd(m.opts.Client, m.daemon.events.gen)
}

// handleEvents folds the events messages in.
func (m Model) handleEvents(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case eventsStartedMsg:
		if msg.gen != m.daemon.events.gen {
			msg.cancel()
			return m, nil
		}
		resync, seen := m.daemon.events.lost, m.daemon.events.seen
		m.daemon.events.cancel, m.daemon.events.live, m.daemon.events.lost, m.daemon.events.retries = msg.cancel, true, false, 0
		m.daemon.events.offset, m.daemon.events.checked, m.daemon.events.seen = msg.offset, msg.since, msg.since
		// The daemon's clock is known: the open lesson's exercises are shown.
		cmds := []tea.Cmd{msg.next, heartbeatTick(msg.gen, m.heartbeatEvery()), m.judgeShown()}
		if resync {
			// What happened while the stream was down is read in full: the
			// picture, and the events the stream did not bring.
			cmds = append(cmds, m.snapshot(), m.loadPanel())
			if !seen.IsZero() && msg.since.After(seen) {
				cmds = append(cmds, gapCmd(m.opts.Client, msg.gen, seen, msg.since))
			}
		}
		return m, tea.Batch(cmds...)
	case eventsGapMsg:
		if msg.gen != m.daemon.events.gen || len(msg.events) == 0 {
			return m, nil
		}
		m.work.eng.Saw(msg.events...)
		return m, m.eventSnapshot(msg.events)
	case daemonEventsMsg:
		if msg.gen != m.daemon.events.gen {
			return m, nil
		}
		m.daemon.events.last = time.Now()
		// What the learner did (an exercise) and what went (a container a
		// step started) are read from the events, before the picture is.
		m.work.eng.Saw(msg.events...)
		for _, ev := range msg.events {
			if ev.Time.After(m.daemon.events.seen) {
				m.daemon.events.seen = ev.Time
			}
		}
		return m, tea.Batch(msg.next, m.eventSnapshot(msg.events))
	case heartbeatDueMsg:
		if msg.gen != m.daemon.events.gen || !m.daemon.events.live {
			return m, nil
		}
		until := time.Now().Add(m.daemon.events.offset - heartbeatGrace)
		if !until.After(m.daemon.events.checked) {
			return m, heartbeatTick(msg.gen, m.heartbeatEvery())
		}
		return m, heartbeatCmd(m.opts.Client, msg.gen, m.daemon.events.checked, until)
	case heartbeatMsg:
		if msg.gen != m.daemon.events.gen || !m.daemon.events.live {
			return m, nil
		}
		m.daemon.events.beats++
		m.work.eng.Saw(msg.events...) // the same events twice change nothing
		missed := 0
		for _, ev := range msg.events {
			if ev.Time.After(m.daemon.events.seen) {
				missed++
			}
		}
		if msg.err == nil && missed == 0 {
			m.daemon.events.checked = msg.until
			return m, heartbeatTick(msg.gen, m.heartbeatEvery())
		}
		// The stream missed what happened, or the daemon did not answer a
		// tiny call in seconds: start it again and read everything.
		m.daemon.events.silent++
		m.daemon.events.cancel()
		m.daemon.events.cancel, m.daemon.events.live, m.daemon.events.lost = nil, false, true
		return m, m.startEvents()
	case eventsEndedMsg:
		if msg.gen != m.daemon.events.gen || m.daemon.events.quitting {
			return m, nil
		}
		m.daemon.events.cancel, m.daemon.events.live, m.daemon.events.lost = nil, false, true
		m.daemon.events.retries++
		gen := m.daemon.events.gen
		return m, tea.Tick(eventsBackoff(m.daemon.events.retries), func(time.Time) tea.Msg { return eventsRetryMsg{gen: gen} })
	case eventsRetryMsg:
		if msg.gen != m.daemon.events.gen || m.daemon.conn != connUp {
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
			if _, ok := m.pic.writable[ev.Name]; ok && ev.Action != "destroy" {
				cmds = append(cmds, writableCmd(m.opts.Client, ev.Name))
			}
		}
	}
	if m.daemon.events.reading {
		m.daemon.events.dirty = true
		return tea.Batch(cmds...)
	}
	m.daemon.events.reading = true
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
	// The heartbeat: the daemon's clock offset, the daemon time checked up
	// to, the newest event the stream brought; checks made, and silent
	// streams caught.
	offset  time.Duration
	checked time.Time
	seen    time.Time
	beats   int
	silent  int
}
