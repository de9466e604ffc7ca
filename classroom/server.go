// Package serve is the classroom server, `layerlab serve`: every learner
// logs in over SSH (ssh -p 2222 NAME@HOST) and gets the full app, in their
// language and at their terminal's size, against a Docker engine of their
// own (engines.Provider), and can type the taught docker commands over a
// second session (ssh -p 2222 NAME@HOST docker images). It is a front end
// like the screen and plain mode: one tui.Model per session, over the lesson
// engine; no state outside a Server.
package classroom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/engines"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
)

// Config is a classroom.
type Config struct {
	// Addr is where the server listens (":2222").
	Addr string
	// StateDir keeps the host key (learners see the same fingerprint every
	// class), each learner's progress, workspace and record of what
	// layerlab made, and the status the instructor's view reads.
	StateDir string
	Class    Class
	Engines  engines.Provider
	// Mirror is the classroom registry (HOST:PORT) the lessons pull from.
	Mirror string
	// Lessons by language; Lang is the language of what is said before a
	// learner is known (the banner, refusals) and when a learner's
	// terminal sends none.
	Lessons map[string][]*lessons.Lesson
	Lang    string
	// Idle: an engine no session used for this long is stopped (its
	// images and containers are kept); 0 keeps engines running.
	Idle time.Duration
	// MaxSessions is how many sessions a learner may have at once.
	MaxSessions int
	// MaxConns bounds the connections at once (logged in or not),
	// MaxPending those not logged in yet (auth.go: admit), and
	// MaxConnsPerLearner those of one learner (countedConn.authenticated).
	MaxConns, MaxPending, MaxConnsPerLearner int
	// KexDeadline closes a connection that has not finished its key
	// exchange this long after it opened (an idle socket); Handshake
	// bounds the whole login (a person typing a passphrase and a secret).
	KexDeadline, Handshake time.Duration
	// SessionIdle closes a session nothing was typed in for this long.
	SessionIdle time.Duration
	// MaxContainers, MaxImages, MaxVolumes, MaxDisk bound what one learner
	// keeps on their engine: a command that would make more is refused
	// with words. Volumes' data is on the engine's data root: MaxDisk
	// (the kernel's bound on that filesystem) holds it too.
	MaxContainers, MaxImages, MaxVolumes int
	MaxDisk                              int64
	// MaxSaved bounds the bytes of the files a learner's saves (docker save
	// -o, lesson 11's steps) leave in their workspace: it is on this
	// machine's disk, not their engine's (0: a quarter of MaxDisk).
	MaxSaved int64
	// Logf logs what the server does (nil: nothing).
	Logf func(format string, args ...any)
}

// Defaults for Config's bounds.
const (
	DefaultMaxSessions = 4
	DefaultMaxConns    = 256
	// DefaultMaxConnsPerLearner: sessions (4) and a few logins between.
	DefaultMaxConnsPerLearner = 6
	// DefaultMaxPending: connections not logged in yet, from every address.
	DefaultMaxPending  = 64
	DefaultKexDeadline = 10 * time.Second
	DefaultHandshake   = 2 * time.Minute
	DefaultSessionIdle = 2 * time.Hour
	DefaultContainers  = 20
	DefaultImages      = 40
	DefaultVolumes     = 20
	DefaultDisk        = 4 << 30
	// MaxLine is the longest command a learner's second session may send.
	MaxLine = 4096
	// fps and streamEvery pace each learner's screen: a server draws for a
	// whole class on a few cores (bench/run.sh --classroom measured the
	// laptop's 90 frames and 15 pull pictures a second at 30 learners:
	// key to frame p95 0.76-0.91 s on 2 cores).
	fps         = 30
	streamEvery = time.Second / 5
)

// Server is a classroom being served.
type Server struct {
	cfg      Config
	srv      *ssh.Server
	mu       sync.Mutex
	learners map[string]*learner
	conns    int
	// pending counts the connections not logged in yet, by address;
	// connLog is when a refused connection of an address was last logged.
	pending      map[string][]*countedConn
	pendingCount int
	byLearner    map[string][]*countedConn
	connLog      map[string]time.Time
	ids          *identities
	guard        *throttle
	control      net.Listener
	listeners    []net.Listener
	stop         chan struct{}
	stopOnce     sync.Once
}

// learner is one learner's place on the server.
type learner struct {
	name     string
	sessions int
	cli      *docker.Client
	lastSeen time.Time
	where    tui.Where
	// whereSince is when the learner came to the step they are on.
	whereSince time.Time
	disk       int64
	engineErr  error
	// app is the learner's app, running with or without a session;
	// starting makes two logins at once start one app, not two.
	app      *app
	starting sync.Mutex
	// live are the learner's sessions now; resetting refuses new ones
	// while the instructor resets the learner; busy is held (shared) by
	// every command a session runs and (alone) by a reset, which so
	// waits for the commands it ended.
	live      map[ssh.Session]bool
	resetting bool
	busy      sync.RWMutex
}

// New makes the server (it listens when Serve or ListenAndServe is called).
func New(cfg Config) (*Server, error) {
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxConns == 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	if cfg.MaxConnsPerLearner == 0 {
		cfg.MaxConnsPerLearner = DefaultMaxConnsPerLearner
	}
	if cfg.KexDeadline == 0 {
		cfg.KexDeadline = DefaultKexDeadline
	}
	if cfg.Handshake == 0 {
		cfg.Handshake = DefaultHandshake
	}
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = DefaultSessionIdle
	}
	if cfg.MaxContainers == 0 {
		cfg.MaxContainers = DefaultContainers
	}
	if cfg.MaxImages == 0 {
		cfg.MaxImages = DefaultImages
	}
	if cfg.MaxVolumes == 0 {
		cfg.MaxVolumes = DefaultVolumes
	}
	if cfg.MaxDisk == 0 {
		cfg.MaxDisk = DefaultDisk
	}
	if cfg.MaxSaved == 0 {
		cfg.MaxSaved = cfg.MaxDisk / 4
	}
	if cfg.Lang == "" {
		cfg.Lang = i18n.LangEnglish
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if err := os.MkdirAll(cfg.StateDir, 0o711); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, learners: map[string]*learner{}, stop: make(chan struct{}),
		pending: map[string][]*countedConn{}, byLearner: map[string][]*countedConn{}, connLog: map[string]time.Time{}, guard: newThrottle(nil)}
	s.ids = &identities{dir: s.learnerDir}
	t := i18n.For(cfg.Lang)
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		// keygen makes the key's folder 0700: a folder of its own.
		wish.WithHostKeyPath(filepath.Join(cfg.StateDir, "hostkey", "host_ed25519")),
		wish.WithBannerHandler(func(ctx ssh.Context) string { return place(t.Serve.Banner, ctx.LocalAddr()) + "\n" }),
		wish.WithIdleTimeout(cfg.SessionIdle),
		func(srv *ssh.Server) error {
			srv.HandshakeTimeout = cfg.Handshake
			// Logins are checked by s.serverConfig's callbacks (auth.go).
			srv.ServerConfigCallback = s.serverConfig
			srv.ConnCallback = s.admit
			return nil
		},
		wish.WithMiddleware(
			func(ssh.Handler) ssh.Handler { return s.handle },
			s.gate,
		),
	)
	if err != nil {
		return nil, err
	}
	s.srv = srv
	return s, nil
}

// place fills in the server's own address where words say HOST and PORT
// (ssh -p PORT NAME@HOST): what the learner types to come back.
func place(s string, local net.Addr) string {
	if local == nil {
		return s
	}
	host, port, err := net.SplitHostPort(local.String())
	if err != nil {
		return s
	}
	return strings.NewReplacer("PORT", port, "HOST", host).Replace(s)
}

// ListenAndServe serves on cfg.Addr until Close.
func (s *Server) ListenAndServe() error {
	if err := s.begin(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return err
	}
	return s.serve(ln)
}

// Serve serves on ln until Close.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.begin(); err != nil {
		return err
	}
	return s.serve(ln)
}

func (s *Server) serve(ln net.Listener) error {
	s.mu.Lock()
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()
	select {
	case <-s.stop:
		ln.Close() // closed before it began
	default:
	}
	err := s.srv.Serve(ln)
	select {
	case <-s.stop:
		return nil // Close closed the listener
	default:
	}
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Close ends every session and stops listening; the learners' engines keep
// running (a restarted server takes them up again).
func (s *Server) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// The apps end first: a detached one keeps no session open, and
	// Shutdown waits for the sessions.
	s.mu.Lock()
	var apps []*app
	for _, l := range s.learners {
		if l.app != nil {
			apps = append(apps, l.app)
			l.app = nil
		}
	}
	s.mu.Unlock()
	for _, a := range apps {
		a.end()
	}
	if s.control != nil {
		s.control.Close()
	}
	// Not the ssh package's Shutdown: its wait for the connections races a
	// handshake that ends meanwhile (the race detector caught it in CI).
	// The listeners close, no connection is admitted, the sessions get
	// five seconds to end (told why by their apps), then every connection
	// closes, those still in their handshake too.
	s.mu.Lock()
	lns := s.listeners
	s.listeners = nil
	s.mu.Unlock()
	for _, ln := range lns {
		ln.Close()
	}
	s.waitSessions(ctx)
	err := s.srv.Close()
	s.mu.Lock()
	var open []*countedConn
	for _, l := range s.pending {
		open = append(open, l...)
	}
	for _, l := range s.byLearner {
		open = append(open, l...)
	}
	s.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.learners {
		if l.cli != nil {
			l.cli.Close()
			l.cli = nil
		}
	}
	return err
}

// waitSessions waits until no session is open, or ctx ends.
func (s *Server) waitSessions(ctx context.Context) {
	for {
		s.mu.Lock()
		n := 0
		for _, l := range s.learners {
			n += l.sessions
		}
		s.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// learnerDir is where a learner's progress, workspace and ledger live.
func (s *Server) learnerDir(name string) string {
	return filepath.Join(s.cfg.StateDir, "learners", name)
}

// gate counts a learner's sessions and refuses one too many.
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		name := sess.User()
		t := s.words(sess)
		s.mu.Lock()
		l := s.learnerLocked(name)
		if l.resetting {
			s.mu.Unlock()
			wish.Fatalln(sess, t.Serve.Resetting)
			return
		}
		if l.sessions >= s.cfg.MaxSessions {
			s.mu.Unlock()
			wish.Fatalln(sess, i18n.Tr(t.Serve.TooManyFmt, name, s.cfg.MaxSessions))
			return
		}
		l.sessions++
		l.lastSeen = time.Now()
		cc, _ := sess.Context().Value(connKey{}).(*countedConn)
		if cc != nil {
			cc.sessions.Add(1)
		}
		if l.live == nil {
			l.live = map[ssh.Session]bool{}
		}
		l.live[sess] = true
		s.mu.Unlock()
		s.cfg.Logf("%s: session from %s (%q)", name, sess.RemoteAddr(), sess.RawCommand())
		defer func() {
			s.mu.Lock()
			l.sessions--
			if cc != nil {
				cc.sessions.Add(-1)
			}
			delete(l.live, sess)
			l.lastSeen = time.Now()
			s.mu.Unlock()
			s.cfg.Logf("%s: session ended", name)
		}()
		if sess.RawCommand() != "" {
			// A command runs to its end before a reset wipes what it uses.
			l.busy.RLock()
			defer l.busy.RUnlock()
		}
		next(sess)
	}
}

func (s *Server) learnerLocked(name string) *learner {
	l, ok := s.learners[name]
	if !ok {
		l = &learner{name: name, disk: -1, where: tui.Where{Step: -1}}
		s.learners[name] = l
	}
	return l
}

// words is the session's language's strings.
func (s *Server) words(sess ssh.Session) i18n.Strings {
	lang, _ := s.langOf(sess)
	return i18n.For(lang)
}

// langOf is the language a session asks for (LC_ALL, LC_MESSAGES, LANG as
// the learner's ssh sends them), else the one the learner chose last, else
// the server's; known says whether the learner or their terminal said it.
func (s *Server) langOf(sess ssh.Session) (lang string, known bool) {
	if lang, named := i18n.FromLocale(i18n.EnvLookup(sess.Environ())); named {
		return lang, true
	}
	if b, err := os.ReadFile(filepath.Join(s.learnerDir(sess.User()), "lang")); err == nil {
		if l := strings.TrimSpace(string(b)); i18n.Known(l) {
			return l, true
		}
	}
	return s.cfg.Lang, false
}

// logEngineError tells the instructor, in the server's language, why
// learner name's engine could not be had.
func (s *Server) logEngineError(name string, err error) {
	t := i18n.For(s.cfg.Lang)
	s.cfg.Logf("%s", i18n.Tr(t.Cmd.EngineLogFmt, name, i18n.EngineErrorText(&t, err)))
}

// askLang asks a learner whose terminal names no language which one they
// want, once: the answer is kept for their next logins.
func (s *Server) askLang(sess ssh.Session) string {
	lang := s.cfg.Lang
	_, _ = io.WriteString(sess, "\r\nLanguage / 언어:  1 English   2 한국어  > ")
	b := make([]byte, 1)
	if n, err := sess.Read(b); err == nil && n == 1 {
		switch b[0] {
		case '1', 'e', 'E':
			lang = i18n.LangEnglish
		case '2', 'k', 'K':
			lang = i18n.LangKorean
		}
	}
	_, _ = io.WriteString(sess, "\r\n")
	dir := s.learnerDir(sess.User())
	if err := os.MkdirAll(dir, 0o700); err == nil {
		_ = os.WriteFile(filepath.Join(dir, "lang"), []byte(lang+"\n"), 0o600)
	}
	return lang
}

// client is the learner's engine's client, the engine started if it must be.
func (s *Server) client(ctx context.Context, name string) (*docker.Client, error) {
	s.mu.Lock()
	l := s.learnerLocked(name)
	cli := l.cli
	s.mu.Unlock()
	if cli != nil {
		if _, err := cli.Connect(ctx); err == nil {
			return cli, nil
		}
	}
	ep, err := s.cfg.Engines.Start(ctx, name)
	s.mu.Lock()
	defer s.mu.Unlock()
	l.engineErr = err
	if err != nil {
		return nil, err
	}
	if l.cli != nil {
		l.cli.Close()
	}
	dir := s.learnerDir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	c, err := docker.New(ep)
	if err != nil {
		return nil, err
	}
	c.UseLedger(docker.OpenLedger(filepath.Join(dir, "owned.json")))
	// How many containers and images a learner keeps is counted by the
	// client, on every path: the app's steps and : line, the second session.
	c.SetLimits(s.limits(name))
	l.cli = c
	return c, nil
}

// handle serves a session: a command runs (command), a terminal shows the
// learner's app, started if it does not run (a session that dropped left it
// running: the learner comes back to it as it is).
func (s *Server) handle(sess ssh.Session) {
	lang, known := s.langOf(sess)
	t := i18n.For(lang)
	if sess.RawCommand() != "" {
		s.command(sess, t)
		return
	}
	pty, windows, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, place(t.Serve.NoTerminal, sess.LocalAddr()))
		return
	}
	a, fresh := s.appFor(sess, pty, lang, known)
	if a != nil {
		// The older session is told in its own language.
		a.show(sess, pty, windows, fresh, func(old ssh.Session) string { return s.words(old).Serve.TakenOver })
	}
}

// appFor is the learner's running app, or a new one (fresh) shown in sess;
// nil if their engine did not start (sess was told). Two logins at once
// start one app.
func (s *Server) appFor(sess ssh.Session, pty ssh.Pty, lang string, known bool) (*app, bool) {
	name := sess.User()
	s.mu.Lock()
	l := s.learnerLocked(name)
	s.mu.Unlock()
	l.starting.Lock()
	defer l.starting.Unlock()
	s.mu.Lock()
	a := l.app
	s.mu.Unlock()
	if a != nil {
		select {
		case <-a.done:
		default:
			return a, false
		}
	}
	if !known {
		lang = s.askLang(sess)
	}
	t := i18n.For(lang)
	wish.Println(sess, t.Serve.Starting)
	ctx, cancel := context.WithTimeout(sess.Context(), engines.DefaultStartTimeout+10*time.Second)
	defer cancel()
	cli, err := s.client(ctx, name)
	if err != nil {
		s.logEngineError(name, err)
		wish.Fatalln(sess, t.Serve.EngineFailed)
		return nil, false
	}
	ls, ok := s.cfg.Lessons[lang]
	if !ok {
		ls = s.cfg.Lessons[i18n.LangEnglish]
	}
	dir := s.learnerDir(name)
	progressPath := filepath.Join(dir, "progress.json")
	prog, _ := lessons.LoadProgress(progressPath)
	env := map[string]string{}
	for _, kv := range sess.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	opts := tui.Options{Client: cli, Lessons: ls, Languages: s.cfg.Lessons, Lang: lang, Mirror: s.cfg.Mirror,
		Dark: true, DetectTheme: true, NoColor: env["NO_COLOR"] != "",
		Workspace: filepath.Join(dir, "workspace"), LayerIndex: docker.OpenLayerIndex(filepath.Join(dir, "layers"), 0), Progress: prog, ProgressPath: progressPath, Live: true, StreamInterval: streamEvery,
		SecondSession: place("ssh -p PORT "+name+"@HOST", sess.LocalAddr())}
	m := watched{m: tui.New(opts), s: s, name: name}
	var na *app
	na = newApp(m, sess, pty, func() {
		s.mu.Lock()
		if l.app == na {
			l.app = nil
		}
		s.mu.Unlock()
	})
	s.mu.Lock()
	l.app = na
	s.mu.Unlock()
	return na, true
}

// watched is the app with the instructor's view told where the learner is.
type watched struct {
	m    tui.Model
	s    *Server
	name string
}

func (w watched) Init() tea.Cmd { return w.m.Init() }

func (w watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	nm, cmd := w.m.Update(msg)
	w.m = nm.(tui.Model)
	w.s.note(w.name, w.m.Where())
	return w, cmd
}

func (w watched) View() tea.View { return w.m.View() }

// note records where a learner is (and a language they switched to).
func (s *Server) note(name string, where tui.Where) {
	s.mu.Lock()
	l := s.learnerLocked(name)
	old := l.where
	if old.Lesson != where.Lesson || old.Step != where.Step || l.whereSince.IsZero() {
		l.whereSince = time.Now()
	}
	l.where, l.lastSeen = where, time.Now()
	s.mu.Unlock()
	if old.Lang != "" && old.Lang != where.Lang {
		_ = os.WriteFile(filepath.Join(s.learnerDir(name), "lang"), []byte(where.Lang+"\n"), 0o600)
	}
}

// housekeeping writes the status the instructor's view reads, measures the
// engines' disks, and stops the engines nobody used for Idle.
func (s *Server) housekeeping() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	n := 0
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
		if n%30 == 0 {
			s.measureDisks()
		}
		n++
		if s.cfg.Idle > 0 {
			s.stopIdle()
		}
		if err := s.writeStatus(); err != nil {
			s.cfg.Logf("status: %v", err)
		}
	}
}

func (s *Server) measureDisks() {
	s.mu.Lock()
	var names []string
	for n := range s.learners {
		names = append(names, n)
	}
	s.mu.Unlock()
	for _, n := range names {
		d := s.cfg.Engines.DiskUse(n)
		s.mu.Lock()
		s.learners[n].disk = d
		s.mu.Unlock()
	}
}

func (s *Server) stopIdle() {
	s.mu.Lock()
	var idle []*learner
	var apps []*app
	for _, l := range s.learners {
		if l.sessions == 0 && l.cli != nil && time.Since(l.lastSeen) > s.cfg.Idle {
			if l.app != nil {
				apps = append(apps, l.app)
				l.app = nil
			}
			l.cli.Close()
			l.cli = nil
			idle = append(idle, l)
		}
	}
	s.mu.Unlock()
	for _, a := range apps {
		a.end()
	}
	for _, l := range idle {
		s.cfg.Logf("%s: engine idle for %s: stopped", l.name, s.cfg.Idle)
		_ = s.cfg.Engines.Stop(l.name)
	}
}

// Learners are the learners known to the server now, sorted by name.
func (s *Server) Learners() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for n := range s.learners {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Addr is the address the server listens on ("" before it does).
func (s *Server) Addr() string {
	return fmt.Sprint(s.srv.Addr)
}
