package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// The daemon's picture: the connection, what the daemon holds, the
// stack the panel shows, the clean-up's news.

// handleDaemonMsg takes what the daemon said: the connection, its picture,
// an image's layers or files, its events.
func (m Model) handleDaemonMsg(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case redialMsg:
		m.daemon.redial.pending = false
		if m.daemon.conn != connDown {
			return m, nil, true
		}
		return m, connectCmd(m.opts.Client), true
	case connectedMsg:
		if msg.err != nil {
			m.daemon.conn, m.daemon.connErr = connDown, msg.err
			return m, nil, true
		}
		m.daemon.conn, m.daemon.engine, m.daemon.connErr = connUp, msg.engine, nil
		m.daemon.redial.tries = 0
		return m, tea.Batch(m.snapshot(), m.loadPanel(), m.startEvents()), true
	case filesMsg, filesProgressMsg, aheadMsg, aheadDoneMsg:
		var cmd tea.Cmd
		m.pane, cmd = m.pane.Update(msg)
		// A "whiteout" exercise may have waited for them.
		check := m.checkExercises()
		return m, tea.Batch(cmd, check), true
	case eventsStartedMsg, daemonEventsMsg, eventsEndedMsg, eventsRetryMsg, heartbeatDueMsg, heartbeatMsg, eventsGapMsg:
		return handled(m.handleEvents(msg))
	case snapshotMsg:
		if msg.table != nil {
			// A docker images / docker ps step ends on this answer, and on
			// nothing else: a daemon that did not answer fails it.
			if m.work.busy != nil && *m.work.busy == *msg.table {
				m.work.busy = nil
			}
			m.work.eng.FinishTable(*msg.table, engine.TableShot{Images: msg.images, Containers: msg.containers, Volumes: msg.volumes, Pulled: m.pic.lastPulledID}, msg.err, m.opts.Now())
		}
		if msg.err != nil {
			return handled(m.daemonError(msg.err))
		}
		m.pic.images, m.pic.containers, m.pic.volumes, m.pic.read = msg.images, msg.containers, msg.volumes, true
		for id, d := range msg.diffIDs {
			m.pic.diffIDs[id] = d
		}
		m.followContainers()
		check := m.checkExercises()
		if m.daemon.events.reading {
			m.daemon.events.reading = false
			if m.daemon.events.dirty {
				m.daemon.events.dirty = false
				return m, tea.Batch(check, m.eventSnapshot(nil)), true
			}
		}
		return m, check, true
	case stackMsg:
		if msg.err != nil && docker.IsConnection(msg.err) {
			return handled(m.daemonError(msg.err))
		}
		m.pic.stacks[msg.ref] = stackEntry{stack: msg.stack, found: msg.found, err: msg.err}
		check := m.checkExercises()
		if m.pic.knownBefore != nil && msg.found {
			for _, l := range msg.stack.FSLayers() {
				if !m.pic.knownBefore[l.DiffID] {
					m.pic.newLayers[l.DiffID] = true
				}
			}
			if m.work.running == nil {
				m.pic.knownBefore = nil // a build keeps marking until it ends
			}
		}
		return m, check, true
	}
	return m, nil, false
}

// daemonError records that the daemon went away while we were talking to it.
func (m Model) daemonError(err error) (tea.Model, tea.Cmd) {
	if docker.IsConnection(err) {
		m.daemon.conn, m.daemon.connErr = connDown, err
	}
	return m, nil
}

func (m Model) snapshot() tea.Cmd {
	if m.daemon.conn != connUp {
		return nil
	}
	return snapshotCmd(m.opts.Client, m.knownDiffIDs(), nil, m.answerTimeout())
}

// tableRead is a docker images / docker ps step's own read of the daemon.
func (m Model) tableRead(k engine.StepKey) tea.Cmd {
	return snapshotCmd(m.opts.Client, m.knownDiffIDs(), &k, m.answerTimeout())
}

func (m Model) knownDiffIDs() map[string][]string {
	known := make(map[string][]string, len(m.pic.diffIDs))
	for k, v := range m.pic.diffIDs {
		known[k] = v
	}
	return known
}

// answerTimeout is how long a read of the picture waits for the daemon.
func (m Model) answerTimeout() time.Duration {
	if m.opts.AnswerTimeout > 0 {
		return m.opts.AnswerTimeout
	}
	return opTimeout
}

// followContainers marks the run steps whose container the daemon no longer
// has (removed from the learner's terminal, by a step, by a clean-up): their
// cards say so and offer to start it again; its writable layer is dropped.
func (m *Model) followContainers() {
	for _, name := range m.work.eng.FollowContainers(m.opts.Lessons, m.pic.containers) {
		delete(m.pic.writable, name)
		delete(m.work.started, name)
	}
}

// subject is the image the layers panel shows for the current lesson.
func (m Model) subject() string {
	l := m.lesson()
	if l == nil {
		return ""
	}
	if r, ok := m.pic.panelRef[l.ID]; ok {
		return r
	}
	return l.Image
}

func (m *Model) loadPanel() tea.Cmd {
	ref := m.subject()
	if ref == "" || m.daemon.conn != connUp || m.nav.screen != screenLesson {
		return nil
	}
	e := m.pic.stacks[ref]
	e.loading = true
	m.pic.stacks[ref] = e
	return stackCmd(m.opts.Client, ref)
}

// connectFirst contacts the daemon, or, before the terminal's size is known,
// leaves it for once the first frame is out: the frame comes first, whatever
// the daemon is doing (the first WindowSizeMsg dials, half a frame later).
func (m Model) connectFirst() tea.Cmd {
	if m.width == 0 {
		return nil
	}
	return connectCmd(m.opts.Client)
}

// firstFrameMsg is the first frame drawn: time to contact the daemon.
type firstFrameMsg struct{}

// redialLater keeps trying a daemon that went away, with the events'
// backoff (250 ms doubling to 8 s), so that the app picks up where it was
// when the daemon is back, without a key pressed.
func (m *Model) redialLater() tea.Cmd {
	if m.daemon.conn != connDown || !m.opts.Live || m.daemon.redial.pending || m.daemon.events.quitting {
		return nil
	}
	m.daemon.redial.pending = true
	m.daemon.redial.tries++
	return tea.Tick(eventsBackoff(m.daemon.redial.tries), func(time.Time) tea.Msg { return redialMsg{} })
}

// redialMsg is time to try the daemon again.
type redialMsg struct{}

// cmdNames are what tab completes on the : line: the daemon's image and
// container names.
func (m Model) cmdNames() []string {
	var names []string
	for _, im := range m.pic.images {
		names = append(names, im.Ref())
	}
	for _, c := range m.pic.containers {
		names = append(names, c.Name)
	}
	return names
}

// handleCleanupMsg takes a cleanup's plan and end, and containers removed.
func (m Model) handleCleanupMsg(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case cleanupPlanMsg:
		if msg.err != nil {
			m.notice = i18n.Explain(m.t, msg.err, "", m.opts.Mirror).Title
			return handled(m.daemonError(msg.err))
		}
		var yours []string
		if l := m.lesson(); l != nil && l.ID == msg.plan.Lesson {
			yours = yoursOf(l, m.work.eng, m.pic.images, msg.plan)
		}
		kept := cleanupKept(m.t, msg.plan, yours)
		if msg.plan.Empty() {
			m.notice = strings.TrimSpace(m.t.CleanupNothing + " " + kept)
			return m, nil, true
		}
		m.confirm = m.confirm.Ask(msg.plan, kept)
		return m, nil, true
	case cleanupDoneMsg:
		m.work.busy = nil
		m.notice = cleanupSummary(m.t, msg.results)
		for _, r := range msg.results {
			if r.Item.Kind == docker.ItemContainer && r.Err == nil {
				delete(m.pic.writable, r.Item.Name)
				delete(m.work.started, r.Item.Name)
			}
			if r.Item.Kind != docker.ItemContainer && r.Err == nil {
				m.work.eng.Own(r.Item.ID, m.opts.Now()) // x is layerlab's doing, not the learner's
				if r.Removed.ImageID != "" {
					m.work.eng.Own(r.Removed.ImageID, m.opts.Now())
				}
			}
		}
		delete(m.pic.stacks, m.subject())
		return m, tea.Batch(m.snapshot(), m.loadPanel()), true
	case removedMsg:
		for name, sc := range m.work.started {
			if msg.lesson == "" || sc.lesson == msg.lesson {
				delete(m.pic.writable, name)
				delete(m.work.started, name)
			}
		}
		return m, m.snapshot(), true
	}
	return m, nil, false
}

// picture is what the daemon holds, as last seen, and what the panel marks
// in it.
type picture struct {
	images     []docker.Image
	containers []docker.Container
	volumes    []docker.Volume
	// read: the daemon's lists have been read at least once.
	read    bool
	diffIDs map[string][]string
	stacks  map[string]stackEntry
	// writable is each lesson container's writable layer, by container name.
	writable map[string]docker.WritableLayer

	newLayers    map[string]bool
	highlightGen int
	lastPulledID string
	// knownBefore are the layers on the daemon before the last pull.
	knownBefore map[string]bool
	// opKnown are the layers the daemon held when the running pull or
	// commit started (what is not among them is new).
	opKnown map[string]bool
	// removal is each lesson's last image removal, drawn in the panel.
	removal map[string]*docker.RemoveResult
	// panelRef is the image each lesson's panel shows, when not its own;
	// buildPanel the build step whose images it shows.
	panelRef   map[string]string
	buildPanel map[string]engine.StepKey
}
