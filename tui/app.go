// Package tui is layerlab's terminal interface: Bubble Tea models for the
// lesson list, the lesson with its runnable steps, and the live layers panel.
// Every daemon call runs in a tea.Cmd; Update and View do no I/O.
package tui

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Minimum terminal size; below it a single "make the terminal bigger" screen shows.
const (
	MinWidth  = 60
	MinHeight = 20
	// wideWidth is where the layers panel moves beside the lesson instead of a tab.
	wideWidth = 100
)

// Options are what the composition root hands the interface.
type Options struct {
	Client  *docker.Client
	Lessons []*lessons.Lesson
	// Mirror (HOST:PORT) stands in for Docker Hub in lesson pulls.
	Mirror  string
	Strings i18n.Strings
	Dark    bool
	// Now is the clock; tests fix it so views are stable.
	Now func() time.Time
	// Workspace is the folder that holds each lesson's workspace (build
	// contexts, Dockerfiles): a folder of layerlab's, never the learner's own.
	Workspace string
	// Home is the learner's home folder, shown as ~ in paths.
	Home string
	// Lang is the language shown ("en", "ko"); i18n.Languages holds the lessons
	// in each language (same lessons, same steps) for switching in the app.
	Lang      string
	Languages map[string][]*lessons.Lesson
	// DetectTheme asks the terminal for its background colour and follows
	// it (Dark is the guess until it answers); --theme turns it off.
	DetectTheme bool
	// NoColor draws without colour (NO_COLOR): bold, borders, symbols only.
	NoColor bool
	// Progress is what the learner did before (steps done, where they were);
	// ProgressPath is where it is saved as they go ("" saves nothing).
	Progress     lessons.Progress
	ProgressPath string
	// PackDir is the lesson pack's folder (--lessons), "" for the built-in lessons.
	PackDir string
	// Open is the id of the lesson to open at start (--lesson), in place of
	// where the learner left off; "" resumes. CheckLesson validates it.
	Open string
	// Live subscribes to the daemon's events, so that anything that changes
	// the daemon redraws the picture (the app sets it; --plain does not).
	Live bool
	// StreamInterval is the shortest time between two pictures of a running
	// pull or build (DefaultStreamInterval when 0).
	StreamInterval time.Duration
	// SecondSession is, in a classroom served over SSH, the ssh command that
	// opens a second session on the learner's engine ("ssh -p 2222
	// alice@10.0.0.5"): exercises done "in your own terminal" say to use it.
	SecondSession string
	// Heartbeat is how often a live event stream is checked for silence
	// (DefaultHeartbeat when 0).
	Heartbeat time.Duration
}

type screen int

const (
	screenList screen = iota
	screenLesson
)

type connState int

const (
	connConnecting connState = iota
	connUp
	connDown
)

type focus int

const (
	focusLesson focus = iota
	focusLayers
)

// Model is the root model: it owns the screens, the daemon's picture and the step states.
type Model struct {
	opts *Options
	t    *i18n.Strings
	st   *Styles
	keys KeyMap
	help help.Model
	md   *markdownCache
	bar  progress.Model
	spin spinner.Model
	// page is the lesson pane's scrolling page of markdown and step cards.
	page   lessonPage
	input  textinput.Model
	width  int
	height int

	screen  screen
	list    lessonList
	cur     int
	focus   focus
	helpScr helpScreen
	editing bool

	conn    connState
	engine  docker.Engine
	connErr error
	// streamAt is when a pull or build stream last updated the screen.
	streamAt time.Time
	// redial is the automatic reconnection while the daemon is away.
	redial struct {
		pending bool
		tries   int
	}

	images     []docker.Image
	containers []docker.Container
	diffIDs    map[string][]string
	stacks     map[string]stackEntry

	// pane is the layers panel's component: the chosen layer, the listing
	// of its files.
	pane layersPane

	// eng is the lesson engine's session: each step's state, the step
	// chosen in each lesson, the names taken instead of the learner's.
	eng      *engine.Session
	panelRef map[string]string
	running  *runningOp
	busy     *engine.StepKey // a one-call step (run, exec, diff, commit) in flight
	// writable is each lesson container's writable layer, by container name.
	writable map[string]docker.WritableLayer
	// started are the containers this session started, by name, with their
	// lesson and id: quitting removes these, not another window's.
	started map[string]startedContainer

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
	// confirm is a cleanup waiting for the learner's yes; notice a one-line
	// report shown in the footer until the next key.
	confirm confirmBox
	notice  string

	// workspaces are the lessons' workspace folders, once made; files the
	// Dockerfiles their steps name, by fileKey.
	workspaces map[string]string
	files      map[string]string
	// refused are the Dockerfiles that are not opened, and why (a
	// *engine.FileError: too large, not text, not a plain file).
	refused map[string]error
	// drafts are the learner's edits a save did not write (the file had
	// changed on disk), by fileKey, kept for the editor's next opening.
	drafts map[string]string
	editor *dfEditor
	// buildPanel is the build step whose images the lesson's panel shows.
	buildPanel map[string]engine.StepKey
	// saved is the progress as last saved; resume opens the lesson the
	// learner was in at the first window size.
	saved  *savedProgress
	resume bool
	// events is the subscription that keeps the picture live.
	events eventState
	// cmd is the `:` command line.
	cmd cmdLine
}

// savedProgress is shared by the copies of the model: the last progress saved.
type savedProgress struct{ p lessons.Progress }

// runningOp is the long operation (pull or build) in flight.
type runningOp struct {
	key    engine.StepKey
	cancel context.CancelFunc
}

// New builds the interface. It does not contact the daemon: Init does, in a command.
func New(o Options) Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lang == "" {
		o.Lang = i18n.LangEnglish
	}
	if o.Strings.AppName == "" {
		o.Strings = i18n.For(o.Lang)
	}
	t := o.Strings
	m := Model{
		opts: &o, t: &t, keys: DefaultKeyMap(o.Strings),
		help:    help.New(),
		spin:    spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		input:   textinput.New(),
		diffIDs: map[string][]string{}, stacks: map[string]stackEntry{}, pane: newLayersPane(DefaultKeyMap(o.Strings)),
		eng: engine.NewSession(), panelRef: map[string]string{},
		removal:    map[string]*docker.RemoveResult{},
		workspaces: map[string]string{}, files: map[string]string{}, refused: map[string]error{}, drafts: map[string]string{}, buildPanel: map[string]engine.StepKey{},
		newLayers: map[string]bool{}, writable: map[string]docker.WritableLayer{}, started: map[string]startedContainer{},
	}
	m.page = newLessonPage(m.keys)
	m.applyTheme(o.Dark)
	m.restoreProgress(o.Progress)
	m.openAtStart(o.Open)
	m.input.Prompt = o.Strings.EditPrompt
	m.input.CharLimit = engine.MaxCommand
	m.cmd = newCmdLine(m.keys)
	m.helpScr = helpScreen{keys: m.keys}
	m.list.keys, m.confirm.keys = m.keys, m.keys
	return m
}

// Init starts talking to the daemon; the first frame does not wait for it.
func (m Model) Init() tea.Cmd {
	connect := m.connectFirst()
	if m.opts.DetectTheme && !m.opts.NoColor {
		// The answer comes as a BackgroundColorMsg; a terminal that never
		// answers leaves the --theme guess in place.
		return tea.Batch(connect, tea.RequestBackgroundColor)
	}
	return connect
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

func (m Model) lesson() *lessons.Lesson {
	if m.cur < 0 || m.cur >= len(m.opts.Lessons) {
		return nil
	}
	return m.opts.Lessons[m.cur]
}

// Update handles one message. It is a pure function of the model and the
// message; when what the learner has done changed, it also saves it (in a command).
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	i, before := m.selectedStatus()
	nm, cmd := m.handle(msg)
	next := nm.(Model)
	if next.footerLines() != m.footerLines() {
		next.layout() // a notice of more than a row came or went
	}
	if j, after := next.selectedStatus(); i == j && before != after && (after == engine.Done || after == engine.Failed) {
		next.revealStep(j)
	}
	if save := next.progressCmd(); save != nil {
		cmd = tea.Batch(cmd, save)
	}
	if redial := next.redialLater(); redial != nil {
		cmd = tea.Batch(cmd, redial)
	}
	return next, cmd
}

// spinnerQuiet is how long after a stream's update the spinner redraws by
// itself again.
const spinnerQuiet = 100 * time.Millisecond

// redialMsg is time to try the daemon again.
type redialMsg struct{}

// redialLater keeps trying a daemon that went away, with the events'
// backoff (250 ms doubling to 8 s), so that the app picks up where it was
// when the daemon is back, without a key pressed.
func (m *Model) redialLater() tea.Cmd {
	if m.conn != connDown || !m.opts.Live || m.redial.pending || m.events.quitting {
		return nil
	}
	m.redial.pending = true
	m.redial.tries++
	return tea.Tick(eventsBackoff(m.redial.tries), func(time.Time) tea.Msg { return redialMsg{} })
}

func (m Model) handle(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case QuitMsg:
		return m.quit()
	case tea.WindowSizeMsg:
		var connect tea.Cmd
		if m.width == 0 {
			// Init left the daemon for after the first frame.
			connect = tea.Tick(frameInterval/2, func(time.Time) tea.Msg { return firstFrameMsg{} })
		}
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		if m.resume {
			m.resume = false
			sel := m.eng.Selected[m.lesson().ID]
			nm, cmd := m.openLesson(m.cur)
			m = nm.(Model)
			m.selectStep(sel)
			return m, tea.Batch(cmd, connect)
		}
		return m, connect
	case firstFrameMsg:
		if m.conn != connConnecting {
			return m, nil
		}
		return m, connectCmd(m.opts.Client)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case cmdRunMsg:
		return m, m.runCommandCmd(msg.line, msg.cmd)
	case cmdResultMsg:
		m.cmd = m.cmd.Done(msg)
		m.layout()
		return m, m.snapshot()
	case progressErrMsg:
		m.notice = tr(m.t.ProgressErrFmt, msg.err)
		return m, nil
	case tea.BackgroundColorMsg:
		if m.opts.DetectTheme && !m.opts.NoColor && msg.IsDark() != m.opts.Dark {
			m.applyTheme(msg.IsDark())
			m.layout()
		}
		return m, nil
	case tea.PasteMsg:
		if m.editor != nil {
			var cmd tea.Cmd
			m.editor.ta, cmd = m.editor.ta.Update(msg)
			m.editor.analyze()
			return m, cmd
		}
		if m.editing {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
		if m.cmd.open {
			// A command copied from a tutorial; capped like typing.
			var cmd tea.Cmd
			m.cmd, cmd = m.cmd.Update(msg, nil)
			return m, cmd
		}
		return m, nil
	}
	if nm, cmd, ok := m.handleDaemonMsg(msg); ok {
		return nm, cmd
	}
	if nm, cmd, ok := m.handleStepMsg(msg); ok {
		return nm, cmd
	}
	if nm, cmd, ok := m.handleCleanupMsg(msg); ok {
		return nm, cmd
	}
	return m, nil
}

// handleDaemonMsg takes what the daemon said: the connection, its picture,
// an image's layers or files, its events.
func (m Model) handleDaemonMsg(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case redialMsg:
		m.redial.pending = false
		if m.conn != connDown {
			return m, nil, true
		}
		return m, connectCmd(m.opts.Client), true
	case connectedMsg:
		if msg.err != nil {
			m.conn, m.connErr = connDown, msg.err
			m.layout()
			return m, nil, true
		}
		m.conn, m.engine, m.connErr = connUp, msg.engine, nil
		m.redial.tries = 0
		m.layout()
		return m, tea.Batch(m.snapshot(), m.loadPanel(), m.startEvents()), true
	case filesMsg:
		m.pane = m.pane.Loaded(msg)
		return m, nil, true
	case eventsStartedMsg, daemonEventsMsg, eventsEndedMsg, eventsRetryMsg, heartbeatDueMsg, heartbeatMsg:
		return handled(m.handleEvents(msg))
	case snapshotMsg:
		if msg.err != nil {
			return handled(m.daemonError(msg.err))
		}
		m.images, m.containers = msg.images, msg.containers
		for id, d := range msg.diffIDs {
			m.diffIDs[id] = d
		}
		for k := range m.eng.Steps {
			m.eng.FinishTable(k, engine.TableShot{Images: m.images, Containers: m.containers, Pulled: m.lastPulledID})
		}
		check := m.checkExercises()
		m.refresh()
		if m.events.reading {
			m.events.reading = false
			if m.events.dirty {
				m.events.dirty = false
				return m, tea.Batch(check, m.eventSnapshot(nil)), true
			}
		}
		return m, check, true
	case stackMsg:
		if msg.err != nil && docker.IsConnection(msg.err) {
			return handled(m.daemonError(msg.err))
		}
		m.stacks[msg.ref] = stackEntry{stack: msg.stack, found: msg.found, err: msg.err}
		check := m.checkExercises()
		if m.knownBefore != nil && msg.found {
			for _, l := range msg.stack.FSLayers() {
				if !m.knownBefore[l.DiffID] {
					m.newLayers[l.DiffID] = true
				}
			}
			if m.running == nil {
				m.knownBefore = nil // a build keeps marking until it ends
			}
		}
		m.refresh()
		return m, check, true
	}
	return m, nil, false
}

// handleStepMsg takes the news of a step: a pull or build as it goes, a
// one-call step's end, the workspace and the editor's saves, the spinner.
func (m Model) handleStepMsg(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case opStartedMsg:
		m.running = &runningOp{key: msg.key, cancel: msg.cancel}
		m.busy = nil
		return m, msg.next, true
	case pullUpdateMsg:
		if s := m.eng.Steps[msg.key]; s != nil && s.Status == engine.Running {
			s.Observe(msg.progress, msg.at)
			m.streamAt = msg.at
			m.refreshStep(msg.key)
		}
		return m, msg.next, true
	case pullDoneMsg:
		return handled(m.pullDone(msg))
	case buildUpdateMsg:
		return handled(m.buildUpdate(msg))
	case buildDoneMsg:
		return handled(m.buildDone(msg))
	case workspaceMsg:
		if msg.err != nil {
			m.notice = tr(m.t.WorkspaceErrFmt, msg.err)
			var le *engine.LinkError
			if errors.As(msg.err, &le) {
				m.notice = tr(m.t.WorkspaceLinkFmt, le.Path)
			}
			return m, nil, true
		}
		m.workspaces[msg.lesson] = msg.dir
		for rel, text := range msg.files {
			m.files[fileKey(msg.lesson, rel)] = text
		}
		for rel, err := range msg.refused {
			m.refused[fileKey(msg.lesson, rel)] = err
		}
		m.refresh()
		return m, nil, true
	case fileSavedMsg:
		m = m.fileSaved(msg)
		return m, nil, true
	case diskReadMsg:
		nm, cmd := m.diskRead(msg)
		return nm, cmd, true
	case stepDoneMsg:
		return handled(m.stepDone(msg))
	case writableMsg:
		if msg.err != nil {
			delete(m.writable, msg.name)
		} else {
			m.writable[msg.name] = msg.layer
		}
		m.refresh()
		return m, nil, true
	case spinner.TickMsg:
		if m.running == nil {
			return m, nil, true
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		if time.Since(m.streamAt) > spinnerQuiet {
			// While a stream updates the screen (≤ 30/s), the spinner's frame
			// rides along with it instead of adding redraws of its own.
			m.refreshStep(m.running.key)
		}
		return m, cmd, true
	case clearHighlightMsg:
		if msg.gen == m.highlightGen {
			m.newLayers = map[string]bool{}
			m.lastPulledID = ""
			m.refresh()
		}
		return m, nil, true
	}
	if m.editing {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd, true
	}
	return m, nil, false
}

// handleCleanupMsg takes a cleanup's plan and end, and containers removed.
func (m Model) handleCleanupMsg(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case cleanupPlanMsg:
		if msg.err != nil {
			m.notice = explain(m.t, msg.err, "", m.opts.Mirror).Title
			return handled(m.daemonError(msg.err))
		}
		if msg.plan.Empty() {
			m.notice = m.t.CleanupNothing
			return m, nil, true
		}
		m.confirm = m.confirm.Ask(msg.plan)
		return m, nil, true
	case cleanupDoneMsg:
		m.busy = nil
		m.notice = cleanupSummary(m.t, msg.results)
		for _, r := range msg.results {
			if r.Item.Kind == docker.ItemContainer && r.Err == nil {
				delete(m.writable, r.Item.Name)
				delete(m.started, r.Item.Name)
			}
		}
		delete(m.stacks, m.subject())
		m.refresh()
		return m, tea.Batch(m.snapshot(), m.loadPanel()), true
	case removedMsg:
		for name, sc := range m.started {
			if msg.lesson == "" || sc.lesson == msg.lesson {
				delete(m.writable, name)
				delete(m.started, name)
			}
		}
		m.refresh()
		return m, m.snapshot(), true
	}
	return m, nil, false
}

// daemonError records that the daemon went away while we were talking to it.
func (m Model) daemonError(err error) (tea.Model, tea.Cmd) {
	if docker.IsConnection(err) {
		m.conn, m.connErr = connDown, err
	}
	m.layout()
	return m, nil
}

func (m Model) snapshot() tea.Cmd {
	if m.conn != connUp {
		return nil
	}
	known := make(map[string][]string, len(m.diffIDs))
	for k, v := range m.diffIDs {
		known[k] = v
	}
	return snapshotCmd(m.opts.Client, known)
}

// subject is the image the layers panel shows for the current lesson.
func (m Model) subject() string {
	l := m.lesson()
	if l == nil {
		return ""
	}
	if r, ok := m.panelRef[l.ID]; ok {
		return r
	}
	return l.Image
}

func (m *Model) loadPanel() tea.Cmd {
	ref := m.subject()
	if ref == "" || m.conn != connUp || m.screen != screenLesson {
		return nil
	}
	e := m.stacks[ref]
	e.loading = true
	m.stacks[ref] = e
	return stackCmd(m.opts.Client, ref)
}

func (m Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Interrupt) {
		return m.quit() // whatever has the focus, even a text field
	}
	if m.width < MinWidth || m.height < MinHeight {
		// The screen says only "make the terminal bigger": no key acts on
		// what it does not show (an x then y would remove unseen things).
		if key.Matches(msg, m.keys.Quit) && m.editor == nil && !m.editing && !m.cmd.open {
			return m.quit()
		}
		return m, nil
	}
	if m.editor != nil {
		return m.handleEditorKey(msg)
	}
	if m.editing {
		return m.handleEditKey(msg)
	}
	if m.cmd.open {
		before := m.cmdLines()
		var cmd tea.Cmd
		m.cmd, cmd = m.cmd.Update(msg, m.cmdNames())
		if m.cmdLines() != before || !m.cmd.open {
			m.layout()
		}
		return m, cmd
	}
	m.notice = ""
	if m.confirm.Open() {
		var yes *docker.CleanupPlan
		m.confirm, yes = m.confirm.Update(msg)
		if yes != nil && m.conn == connUp && m.idle() {
			p := *yes
			k := engine.StepKey{Lesson: p.Lesson, Index: -1}
			m.busy = &k
			m.notice = m.t.CleanupWorking
			return m, cleanupCmd(m.opts.Client, p)
		}
		return m, nil
	}
	if m.helpScr.open {
		// Help is on top: its keys, or quit; nothing opens beneath it.
		if key.Matches(msg, m.keys.Quit) {
			return m.quit()
		}
		m.helpScr = m.helpScr.Update(msg)
		if !m.helpScr.open {
			m.layout()
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, m.keys.Cmd) && m.conn == connUp:
		var cmd tea.Cmd
		m.cmd, cmd = m.cmd.Open()
		m.layout()
		return m, cmd
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.helpScr = m.helpScr.Open(m.helpBindings())
		m.layout()
		return m, nil
	case key.Matches(msg, m.keys.Lang) && len(m.opts.Languages) > 1:
		return m.switchLanguage(), nil
	case key.Matches(msg, m.keys.Retry) && m.conn == connDown:
		m.conn = connConnecting
		m.refresh()
		return m, connectCmd(m.opts.Client)
	}
	if m.screen == screenList {
		return m.handleListKey(msg)
	}
	return m.handleLessonKey(msg)
}

func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.running != nil {
		m.running.cancel()
	}
	m.events.quitting = true
	if m.events.cancel != nil {
		m.events.cancel()
	}
	if (len(m.started) > 0 || m.busy != nil || m.running != nil) && m.conn == connUp {
		// A step in flight may have started a container the app has not
		// heard of yet: the ledger knows it as this window's.
		// The containers this session started do not outlive it.
		ids := map[string]bool{}
		for _, sc := range m.started {
			ids[sc.id] = true
		}
		c := m.opts.Client
		return m, tea.Sequence(removeLessonContainers(c, "", func(id string) bool { return ids[id] || c.StartedHere(id) }), tea.Quit)
	}
	return m, tea.Quit
}

// QuitMsg asks the app to end as q does (the terminal was closed: SIGHUP;
// or the system asks: SIGTERM): this window's containers removed, then quit.
type QuitMsg struct{}

// startedContainer is a container this window started.
type startedContainer struct{ lesson, id string }

// idle reports whether no step is running.
func (m Model) idle() bool { return m.running == nil && m.busy == nil }

func (m Model) handleListKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	var open bool
	m.list, open = m.list.Update(msg, len(m.opts.Lessons))
	if open {
		return m.openLesson(m.list.cursor)
	}
	return m, nil
}

func (m Model) openLesson(i int) (tea.Model, tea.Cmd) {
	m.cur, m.list.cursor = i, i
	m.screen = screenLesson
	m.focus = focusLesson
	m.pane = m.pane.Reset()
	m.layout()
	m.page.Top()
	l := m.lesson()
	if m.opts.Workspace != "" && engine.UsesWorkspace(l) {
		// Read again at every opening: the learner may have changed a file
		// from their own terminal since.
		return m, tea.Batch(m.loadPanel(), workspaceCmd(m.opts.Workspace, m.opts.PackDir, l))
	}
	return m, m.loadPanel()
}

func (m Model) handleLessonKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	l := m.lesson()
	if m.focus == focusLayers {
		if st, ok := m.panelStack(); ok && m.running == nil {
			var cmd tea.Cmd
			var handled bool
			if m.pane, cmd, handled = m.pane.Update(msg, st, m.t, m.st, m.opts.Client.Files); handled {
				return m, cmd
			}
		}
	}
	switch {
	case key.Matches(msg, m.keys.Cancel) && m.running != nil:
		m.running.cancel()
		return m, nil
	case key.Matches(msg, m.keys.Back):
		m.screen = screenList
		return m, nil
	case key.Matches(msg, m.keys.Run):
		return m.runSelected()
	case key.Matches(msg, m.keys.Edit):
		return m.startEdit()
	case key.Matches(msg, m.keys.NextStep):
		m.selectStep(m.eng.Selected[l.ID] + 1)
		return m, nil
	case key.Matches(msg, m.keys.PrevStep):
		m.selectStep(m.eng.Selected[l.ID] - 1)
		return m, nil
	case key.Matches(msg, m.keys.NextLesson):
		if m.cur+1 < len(m.opts.Lessons) && m.idle() {
			return m.openLesson(m.cur + 1)
		}
		return m, nil
	case key.Matches(msg, m.keys.PrevLesson):
		if m.cur > 0 && m.idle() {
			return m.openLesson(m.cur - 1)
		}
		return m, nil
	case key.Matches(msg, m.keys.Tab):
		if m.focus == focusLesson {
			m.focus = focusLayers
		} else {
			m.focus = focusLesson
		}
		return m, nil
	case key.Matches(msg, m.keys.Hint) && len(l.Steps) > 0:
		if st := l.Steps[min(m.eng.Selected[l.ID], len(l.Steps)-1)]; st.Kind == lessons.KindCheck {
			s := m.eng.State(engine.StepKey{Lesson: l.ID, Index: st.Index})
			s.Hints = min(s.Hints+1, len(st.HintList()))
			m.refresh()
			return m, nil
		}
	case key.Matches(msg, m.keys.Remove) && m.idle() && m.conn == connUp:
		return m, cleanupPlanCmd(m.opts.Client, l.ID)
	case key.Matches(msg, m.keys.Force) && m.idle() && m.conn == connUp:
		if l, st, ok := m.canForce(); ok {
			nm, cmd := m.runRemoval(l, st, true)
			return nm, cmd
		}
	case key.Matches(msg, m.keys.Retry), key.Matches(msg, m.keys.Refresh):
		return m, tea.Batch(m.snapshot(), m.loadPanel())
	}
	var cmd tea.Cmd
	m.page, cmd = m.page.Update(msg)
	return m, cmd
}

func (m *Model) selectStep(i int) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 {
		return
	}
	i = min(max(i, 0), len(l.Steps)-1)
	m.eng.Selected[l.ID] = i
	m.refresh()
	m.scrollToStep(i)
}

// scrollToStep brings step i's card into view if it is not.
func (m *Model) scrollToStep(i int) { m.page.ScrollToStep(i) }

// revealStep scrolls, when a step has finished, so that what it printed is in view.
func (m *Model) revealStep(i int) { m.page.RevealStep(i) }

// selectedStatus is the state of the step selected in the open lesson.
func (m Model) selectedStatus() (int, engine.Status) {
	l := m.lesson()
	if l == nil || m.screen != screenLesson {
		return -1, engine.Idle
	}
	i := m.eng.Selected[l.ID]
	if s := m.eng.Steps[engine.StepKey{Lesson: l.ID, Index: i}]; s != nil {
		return i, s.Status
	}
	return i, engine.Idle
}

// layout sizes every component from the window size.
func (m *Model) layout() {
	lw, bodyH := m.lessonPaneSize()
	m.page.SetSize(lw-2, bodyH-2)
	m.help.SetWidth(m.width)
	// The prompts scroll sideways within the terminal, whatever is typed.
	m.cmd.SetSize(m.width, m.height)
	m.helpScr.SetSize(m.width, m.height-1-m.footerLines()-m.stripLines())
	m.pane.SetSize(m.panelWidth(), bodyH-3) // under the panel's title, in its box
	m.input.SetWidth(max(lw-8-ansi.StringWidth(m.input.Prompt), 1))
	// The visible window of the text is recomputed on a cursor move only.
	m.input.SetCursor(m.input.Position())
	m.refresh()
}

// lessonPaneSize is the outer size of the lesson pane.
func (m Model) lessonPaneSize() (w, h int) {
	h = m.height - 1 - m.footerLines() - m.stripLines() - m.cmdLines() // header, footer, daemon status, command line
	if m.width >= wideWidth {
		return m.width * 11 / 20, h
	}
	return m.width, h - 1 // tab bar
}

// switchLanguage shows the other language, keeping the learner's place: the
// same lesson, the same selected step, every step's state (lessons have the
// same ids and steps in every language).
func (m Model) switchLanguage() Model {
	next := i18n.Other(m.opts.Lang)
	ls, ok := m.opts.Languages[next]
	if !ok || len(ls) != len(m.opts.Lessons) {
		return m
	}
	o := *m.opts // models handed out before keep theirs
	o.Lang, o.Lessons, o.Strings = next, ls, i18n.For(next)
	m.opts, m.t = &o, &o.Strings
	m.keys = DefaultKeyMap(*m.t)
	m.cmd.keys, m.helpScr.keys, m.list.keys, m.confirm.keys, m.pane.keys = m.keys, m.keys, m.keys, m.keys, m.keys
	if m.editor != nil {
		m.editor.keys = m.keys
	}
	m.input.Prompt = m.t.EditPrompt
	m.layout()
	return m
}

// applyTheme builds every style for a dark or light background (or none at
// all with NoColor), Glamour's included.
func (m *Model) applyTheme(dark bool) {
	o := *m.opts // models handed out before keep theirs
	o.Dark = dark
	m.opts = &o
	style := "dark"
	if !dark {
		style = "light"
	}
	st := NewStyles(dark)
	if m.opts.NoColor {
		style, st = "notty", NewPlainStyles()
	}
	m.st = &st
	if m.md == nil || m.md.style != style {
		m.md = newMarkdownCache(style)
	}
	bar := []progress.Option{progress.WithoutPercentage(), progress.WithFillCharacters('█', '░')}
	if !m.opts.NoColor {
		bar = append(bar, progress.WithColors(m.st.BarFull))
	}
	m.bar = progress.New(bar...)
	// The footer's keys in the palette's colours (bubbles' own greys are too
	// dark on a projector, and turn black on a 16-colour terminal).
	keyStyle, dimStyle := m.st.Key, m.st.Dim
	m.help.Styles = help.Styles{ShortKey: keyStyle, ShortDesc: dimStyle, ShortSeparator: dimStyle, Ellipsis: dimStyle,
		FullKey: keyStyle, FullDesc: dimStyle, FullSeparator: dimStyle}
	if m.opts.NoColor {
		m.help.Styles = help.Styles{}
	}
}

// restoreProgress marks the steps done before as done, and puts the learner
// back where they were.
func (m *Model) restoreProgress(p lessons.Progress) {
	m.saved = &savedProgress{p: p}
	if i := m.eng.Restore(m.opts.Lessons, p); i >= 0 {
		m.cur, m.list.cursor, m.resume = i, i, true
	}
}

// openAtStart opens lesson id once the screen has a size (as a resumed
// lesson opens), at the step the learner was on in it, if any.
func (m *Model) openAtStart(id string) {
	for i, l := range m.opts.Lessons {
		if l.ID == id {
			m.cur, m.list.cursor, m.resume = i, i, true
		}
	}
}

// CheckLesson says, in the learner's language, when id names none of the
// lessons ("" is fine: nothing asked).
func CheckLesson(o Options, id string) error {
	if id == "" {
		return nil
	}
	var ids []string
	for _, l := range o.Lessons {
		if l.ID == id {
			return nil
		}
		ids = append(ids, l.ID)
	}
	t := o.Strings
	if t.AppName == "" {
		t = i18n.For(o.Lang)
	}
	return errors.New(tr(t.NoLessonFmt, id, strings.Join(ids, ", ")))
}

// progress is what the learner has done, as it stands.
func (m Model) progress() lessons.Progress {
	p := m.eng.Progress()
	if l := m.lesson(); l != nil && m.screen == screenLesson {
		p.Lesson, p.Step = l.ID, m.eng.Selected[l.ID]
	} else if m.saved != nil && m.screen != screenLesson {
		p.Lesson, p.Step = "", 0
	}
	return p
}

// progressCmd saves the progress when it changed since the last save.
func (m Model) progressCmd() tea.Cmd {
	if m.opts.ProgressPath == "" || m.saved == nil || m.width == 0 {
		return nil
	}
	p := m.progress()
	if reflect.DeepEqual(p, m.saved.p) {
		return nil
	}
	m.saved.p = p
	path := m.opts.ProgressPath
	return func() tea.Msg {
		if err := lessons.SaveProgress(path, p); err != nil {
			return progressErrMsg{err}
		}
		return nil
	}
}

// progressErrMsg says the progress could not be saved.
type progressErrMsg struct{ err error }

// cmdLines is how many rows the command line and its output take.
func (m Model) cmdLines() int { return m.cmd.Lines(m.t, m.st, m.opts.Mirror) }

// cmdNames are what tab completes on the : line: the daemon's image and
// container names.
func (m Model) cmdNames() []string {
	var names []string
	for _, im := range m.images {
		names = append(names, im.Ref())
	}
	for _, c := range m.containers {
		names = append(names, c.Name)
	}
	return names
}

// handled says a message was taken, with what its handler returned.
func handled[M tea.Model](m M, cmd tea.Cmd) (tea.Model, tea.Cmd, bool) { return m, cmd, true }

// Where is where a learner is in the course, for an instructor's view: the
// lesson open ("" on the list), the step selected and how it stands, since
// when it stands so, and the language shown.
type Where struct {
	Lesson, LessonTitle string
	Step                int
	StepTitle           string
	Status              engine.Status
	// Exercise: the step is an exercise (Done when the daemon saw it done).
	Exercise bool
	// Since is when the step started (a running or failed step), zero otherwise.
	Since time.Time
	Lang  string
	// Connected: the daemon answers.
	Connected bool
}

// Where the learner is now.
func (m Model) Where() Where {
	w := Where{Lang: m.opts.Lang, Step: -1, Connected: m.conn == connUp}
	l := m.lesson()
	if l == nil || m.screen != screenLesson {
		return w
	}
	w.Lesson, w.LessonTitle = l.ID, l.Title
	i, st := m.selectedStatus()
	w.Step, w.Status = i, st
	if i >= 0 && i < len(l.Steps) {
		w.StepTitle, w.Exercise = l.Steps[i].Title, l.Steps[i].Kind == lessons.KindCheck
		if s := m.eng.Steps[engine.StepKey{Lesson: l.ID, Index: i}]; s != nil && (st == engine.Running || st == engine.Failed) {
			w.Since = s.Started
		}
	}
	return w
}
