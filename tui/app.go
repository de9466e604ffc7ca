// Package tui is layerlab's terminal interface: Bubble Tea models for the
// lesson list, the lesson with its runnable steps, and the live layers panel.
// Every daemon call runs in a tea.Cmd; Update and View do no I/O.
package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
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
	// Client is the daemon (a *docker.Client; tests give one in memory).
	Client  Daemon
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
	// LayerIndex keeps what layers hold between files reads, shared by
	// windows (nil: every read reads the export).
	LayerIndex *docker.LayerIndex
	// ReadAhead reads a new image's layers into LayerIndex a moment after
	// the step that made it (off on a server of many learners: thirty reads
	// at once would compete with their screens for its cores).
	ReadAhead bool
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
	// AnswerTimeout is how long a read of the daemon's lists waits for its
	// answer before the daemon is said not to answer (20 s when 0).
	AnswerTimeout time.Duration
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
	st   *render.Styles
	keys *KeyMap // a new one on a language switch, never written
	look look

	width, height int
	nav           nav

	// The components, each owning its state, sized by layout.
	page    lessonPage // the lesson's scrolling page of markdown and step cards
	list    lessonList
	helpScr helpScreen
	pane    layersPane // the layers panel's chosen layer and its files
	confirm confirmBox // a cleanup waiting for the learner's yes
	cmd     cmdLine    // the `:` command line
	editor  *dfEditor
	edit    stepEdit // a step's command, edited in place

	daemon daemonState
	pic    picture
	work   lessonWork
	// notice is a one-line report shown in the footer until the next key.
	notice string
	// frame numbers this state for the frame it draws (View).
	frame frameRef
}

// frameRef is a model's state's number and the last frame drawn, shared
// by the model's copies: a message that changed nothing on screen (a
// spinner's tick that drew nothing, a pull's picture that looks as the last
// one did) keeps its model's number and says so (same), and View gives the
// frame drawn for that number again instead of drawing it anew. Any other
// message gives its model a new number, so a frame is never reused but for
// a state that Update itself found unchanged on screen.
type frameRef struct {
	memo *frameMemo
	ver  uint64
	same bool
}

// frameMemo is the last frame drawn, for the state numbered ver.
type frameMemo struct {
	last, ver uint64
	out       string
}

// next is a new number for a state that may draw differently.
func (f frameRef) next() frameRef {
	if f.memo == nil {
		return f
	}
	f.memo.last++
	return frameRef{memo: f.memo, ver: f.memo.last}
}

// stepEdit is a step's command being edited in its card: the text field,
// and whether it is open.
type stepEdit struct {
	input textinput.Model
	on    bool
}

// look is what draws: the markdown renderer, the progress bar, the
// spinner, the footer's help.
type look struct {
	md  *render.Markdown
	bar *progressBar
	// cards are the cards of steps not run yet, kept (cardMemo).
	cards *cardMemo
	spin  spinner.Model
	help  help.Model
}

// nav is where the learner is: the screen, the lesson open, the pane with
// the focus; resume opens the lesson they were in at the first window size.
type nav struct {
	screen screen
	cur    int
	focus  focus
	resume bool
	// scrollTo is a step card to bring into view (its index + 1), once
	// the page is made again; still says the last message changed nothing
	// the page draws, sameFrame that it changed nothing on screen at all.
	scrollTo  int
	still     bool
	sameFrame bool
}

// daemonState is the connection to the daemon and its events.
type daemonState struct {
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
	// events is the subscription that keeps the picture live.
	events eventState
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
	if o.SecondSession != "" {
		o.Strings = o.Strings.InClassroom() // no other terminal to send the learner to
	}
	t := o.Strings
	m := Model{
		opts: &o, t: &t, keys: ptr(DefaultKeyMap(o.Strings)),
		look: look{help: help.New(), spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))},
		edit: stepEdit{input: textinput.New()},
		pane: newLayersPane(o.Client.LayerFiles, o.LayerIndex, o.StreamInterval, o.ReadAhead),
		pic: picture{diffIDs: map[string][]string{}, stacks: map[string]stackEntry{}, panelRef: map[string]string{},
			removal: map[string]*docker.RemoveResult{}, buildPanel: map[string]engine.StepKey{},
			newLayers: map[string]bool{}, writable: map[string]docker.WritableLayer{}},
		work: lessonWork{eng: engine.NewSession(), workspaces: map[string]string{}, files: map[string]string{},
			refused: map[string]error{}, drafts: map[string]string{}, started: map[string]startedContainer{}},
	}
	m.page = newLessonPage(*m.keys)
	m.frame = frameRef{memo: &frameMemo{}}
	m.look.cards = &cardMemo{drawn: map[cardKey]string{}}
	m.applyTheme(o.Dark)
	m.restoreProgress(o.Progress)
	m.openAtStart(o.Open)
	m.edit.input.Prompt = o.Strings.EditPrompt
	m.edit.input.CharLimit = engine.MaxCommand
	m.cmd = newCmdLine(o.Mirror)
	m.feed()
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

func (m Model) lesson() *lessons.Lesson {
	if m.nav.cur < 0 || m.nav.cur >= len(m.opts.Lessons) {
		return nil
	}
	return m.opts.Lessons[m.nav.cur]
}

// Update handles one message: the handlers change the state, and then the
// screen is made from the state (settle), whatever the message was; when
// what the learner has done changed, it also saves it (in a command). It
// does no I/O (that is in the commands it returns). The model is a value,
// but what it holds by reference is changed in place and so shared with
// copies handed out before: the lesson engine's session (work.eng), the
// maps of the picture and of the learner's work, the open editor, the
// markdown and files caches, the page's line index. Bubble Tea keeps only
// the model Update returns, so nothing reads an old copy.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	i, before := m.selectedStatus()
	nm, cmd := m.handle(msg)
	next := nm.(Model)
	switch msg.(type) {
	case pullUpdateMsg, buildUpdateMsg, spinner.TickMsg:
		// A stream's update drew its own card again (refreshStep): the
		// rest of the page is as it was, 30 times a second.
		next.feed()
	default:
		next.settle()
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
	if next.nav.sameFrame {
		next.nav.sameFrame = false
		next.frame = frameRef{memo: m.frame.memo, ver: m.frame.ver, same: true}
	} else {
		next.frame = m.frame.next()
	}
	return next, cmd
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
		if m.nav.resume {
			m.nav.resume = false
			sel := m.work.eng.Selected[m.lesson().ID]
			nm, cmd := m.openLesson(m.nav.cur)
			m = nm.(Model)
			m.selectStep(sel)
			return m, tea.Batch(cmd, connect)
		}
		return m, connect
	case firstFrameMsg:
		if m.daemon.conn != connConnecting {
			return m, nil
		}
		return m, connectCmd(m.opts.Client)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case cmdRunMsg:
		return m, m.runCommandCmd(msg.line, msg.cmd)
	case cmdResultMsg:
		m.cmd = m.cmd.Done(msg)
		return m, m.snapshot()
	case progressErrMsg:
		m.notice = tr(m.t.ProgressErrFmt, msg.err)
		return m, nil
	case tea.BackgroundColorMsg:
		if m.opts.DetectTheme && !m.opts.NoColor && msg.IsDark() != m.opts.Dark {
			m.applyTheme(msg.IsDark())
		}
		return m, nil
	case tea.PasteMsg:
		if m.editor != nil {
			// Into the file, as typing is (not into a read-only one).
			var cmd tea.Cmd
			m.editor, cmd = m.editor.Update(msg)
			return m, cmd
		}
		if m.edit.on {
			var cmd tea.Cmd
			m.edit.input, cmd = m.edit.input.Update(msg)
			return m, cmd
		}
		if m.cmd.open {
			// A command copied from a tutorial; capped like typing.
			var cmd tea.Cmd
			m.cmd, cmd = m.cmd.Update(msg)
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
	m.nav.still = true // nothing took it
	return m, nil
}

// settle makes the screen from the state: every component given what it
// shows and sized from the window, the lesson's page drawn again, the card
// asked for scrolled to. Update calls it after every message; no handler
// has to remember to. The one saving is the other way round: a message
// that only scrolled the page, or that nothing took, says so (nav.still)
// and the page's cards are not drawn again; forgetting that costs a redraw,
// never a stale screen.
func (m *Model) settle() {
	if m.idle() {
		// "Another step is running" holds only while one runs.
		for _, s := range m.work.eng.Steps {
			if s.Note == engine.NoteBusy {
				s.Note = engine.NoteNone
			}
		}
	}
	m.showExercises()
	m.feed()
	m.layout()
	if !m.nav.still {
		m.refresh()
	}
	m.nav.still = false
	if m.nav.scrollTo > 0 {
		m.page.ScrollToStep(m.nav.scrollTo - 1)
		m.nav.scrollTo = 0
	}
}

// handled says a message was taken, with what its handler returned.
func handled[M tea.Model](m M, cmd tea.Cmd) (tea.Model, tea.Cmd, bool) { return m, cmd, true }
