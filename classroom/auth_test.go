package classroom

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/layerlab/layerlab/docker"
)

// fakeEngines is a provider whose engines never run: the login tests need
// none (a login ends before any session asks for one).
type fakeEngines struct {
	mu     sync.Mutex
	resets []string
}

func (f *fakeEngines) Start(context.Context, string) (docker.Endpoint, error) {
	return docker.Endpoint{}, fmt.Errorf("no engines in this test")
}
func (f *fakeEngines) Stop(string) error { return nil }
func (f *fakeEngines) Reset(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resets = append(f.resets, name)
	return nil
}
func (f *fakeEngines) Running() []string    { return nil }
func (f *fakeEngines) DiskUse(string) int64 { return -1 }
func (f *fakeEngines) reset() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.resets...)
}

// logBuf collects the server's log.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logBuf) has(parts ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

type loginServer struct {
	srv   *Server
	addr  string
	state string
	log   *logBuf
	eng   *fakeEngines
	keyed gossh.Signer
}

// newLoginServer serves a class of keyed (a key) and ann, ben, cat (the
// passphrase) with no engines.
func newLoginServer(t *testing.T, tweak func(*Config)) *loginServer {
	t.Helper()
	signer, pub := newKey(t)
	class, err := ParseClass("class", strings.NewReader("passphrase: "+classPass+"\nkeyed "+pub+"\nann\nben\ncat\n"))
	if err != nil {
		t.Fatal(err)
	}
	ls := &loginServer{state: t.TempDir(), log: &logBuf{}, eng: &fakeEngines{}, keyed: signer}
	cfg := Config{StateDir: ls.state, Class: class, Engines: ls.eng, Logf: ls.log.Logf}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ls.srv, ls.addr = srv, ln.Addr().String()
	go srv.Serve(ln) //nolint:errcheck
	t.Cleanup(func() { srv.Close() })
	return ls
}

// asker answers keyboard-interactive questions: the class passphrase to
// "passphrase", secret to the secret questions; said collects what the
// server told.
type asker struct {
	pass, secret string
	mu           sync.Mutex
	said         string
	asked        []string
}

func (a *asker) method() gossh.AuthMethod {
	return gossh.KeyboardInteractive(func(_, instruction string, questions []string, _ []bool) ([]string, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.said += instruction + "\n"
		var out []string
		for _, q := range questions {
			a.asked = append(a.asked, q)
			if strings.Contains(q, "passphrase") {
				out = append(out, a.pass)
			} else {
				out = append(out, a.secret)
			}
		}
		return out, nil
	})
}

func (a *asker) told() string { a.mu.Lock(); defer a.mu.Unlock(); return a.said }

func (ls *loginServer) login(user string, auth ...gossh.AuthMethod) error {
	return ls.loginFrom("", user, auth...)
}

// loginFrom logs in from a local address of the loopback ("" any).
func (ls *loginServer) loginFrom(local, user string, auth ...gossh.AuthMethod) error {
	d := net.Dialer{Timeout: 10 * time.Second}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	c, err := d.Dial("tcp", ls.addr)
	if err != nil {
		return err
	}
	cc, chans, reqs, err := gossh.NewClientConn(c, ls.addr, &gossh.ClientConfig{User: user, Auth: auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
	if err != nil {
		c.Close()
		return err
	}
	gossh.NewClient(cc, chans, reqs).Close()
	return nil
}

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Issue 27, 1: the passphrase once let anyone in as any learner without a
// key. Now the first login binds the name to the key the client proved it
// holds, and the passphrase alone (or with another key) no longer works.
func TestFirstLoginBindsTheNameToTheKey(t *testing.T) {
	t.Parallel()
	ls := newLoginServer(t, nil)
	ann := newSigner(t)
	first := &asker{pass: classPass}
	if err := ls.login("ann", gossh.PublicKeys(ann), first.method()); err != nil {
		t.Fatalf("ann's first login (key + passphrase): %v", err)
	}
	if !strings.Contains(first.told(), "bound to your SSH key "+gossh.FingerprintSHA256(ann.PublicKey())) {
		t.Errorf("ann was not told her name is bound to her key: %q", first.told())
	}
	// The attacker knows the passphrase, and has a key of his own.
	mallory := newSigner(t)
	for what, auth := range map[string][]gossh.AuthMethod{
		"the passphrase":                {(&asker{pass: classPass, secret: classPass}).method()},
		"another key + passphrase":      {gossh.PublicKeys(mallory), (&asker{pass: classPass}).method()},
		"the passphrase as password":    {gossh.Password(classPass)},
		"another key + password":        {gossh.PublicKeys(mallory), gossh.Password(classPass)},
		"keyed's key (another learner)": {gossh.PublicKeys(ls.keyed)},
	} {
		if err := ls.login("ann", auth...); err == nil {
			t.Errorf("%s logged in as ann after she bound her name", what)
		}
	}
	told := &asker{pass: classPass}
	_ = ls.login("ann", told.method())
	if !strings.Contains(told.told(), "bound to the SSH key of its first login") {
		t.Errorf("a passphrase login as ann was not told why: %q", told.told())
	}
	if err := ls.login("ann", gossh.PublicKeys(ann)); err != nil {
		t.Errorf("ann's key alone: %v", err)
	}
	// The instructor releases the name: the next first login binds it anew.
	if _, err := Control(ls.state, ControlRequest{Op: "release", Name: "ann"}); err != nil {
		t.Fatal(err)
	}
	if err := ls.login("ann", gossh.PublicKeys(mallory), (&asker{pass: classPass}).method()); err != nil {
		t.Errorf("after release, a first login: %v", err)
	}
	if err := ls.login("ann", gossh.PublicKeys(ann)); err == nil {
		t.Error("after release and a new binding, the old key still logs in")
	}
	if !ls.log.has("login: ann", "bound to key") {
		t.Errorf("the log has no binding line: %q", ls.log.lines)
	}
}

// Without a key, the first login chooses a secret, which later logins need.
func TestFirstLoginWithoutAKeyChoosesASecret(t *testing.T) {
	t.Parallel()
	ls := newLoginServer(t, nil)
	short := &asker{pass: classPass, secret: "short"}
	if err := ls.login("ben", short.method()); err == nil {
		t.Error("a 5-character secret was taken")
	}
	if !strings.Contains(short.told(), "Too short") {
		t.Errorf("a short secret was not told: %q", short.told())
	}
	pass := &asker{pass: classPass, secret: classPass}
	if err := ls.login("ben", pass.method()); err == nil {
		t.Error("the class passphrase was taken as ben's secret")
	}
	first := &asker{pass: classPass, secret: "ben's own words"}
	if err := ls.login("ben", first.method()); err != nil {
		t.Fatalf("ben's first login: %v", err)
	}
	if !strings.Contains(first.told(), "Choose a secret only you know") {
		t.Errorf("ben was not asked to choose a secret: %q", first.told())
	}
	b, err := os.ReadFile(filepath.Join(ls.state, "learners", "ben", "identity.json"))
	if err != nil || strings.Contains(string(b), "ben's own words") {
		t.Errorf("the secret is not kept hashed: %v %s", err, b)
	}
	if err := ls.login("ben", (&asker{pass: classPass, secret: classPass}).method()); err == nil {
		t.Error("the passphrase logged in as ben after he chose a secret")
	}
	if err := ls.login("ben", gossh.Password(classPass)); err == nil {
		t.Error("the passphrase as a password logged in as ben")
	}
	if err := ls.login("ben", (&asker{secret: "ben's own words"}).method()); err != nil {
		t.Errorf("ben's secret: %v", err)
	}
	if err := ls.login("ben", gossh.Password("ben's own words")); err != nil {
		t.Errorf("ben's secret as a password: %v", err)
	}
	// A first login by password alone cannot choose a secret: refused.
	if err := ls.login("cat", gossh.Password(classPass)); err == nil {
		t.Error("cat's first login by password alone was let in unbound")
	}
}

// Issue 27, 4: 120 wrong passphrases in 4 s, with no limit and no log line.
// Now each is logged with the address and the name, and after a few the
// next waits (even the right one), longer each time.
func TestWrongPassphrasesAreLoggedAndSlowed(t *testing.T) {
	t.Parallel()
	ls := newLoginServer(t, nil)
	for range throttleFree {
		if err := ls.login("cat", (&asker{pass: "guess"}).method()); err == nil {
			t.Fatal("a wrong passphrase logged in")
		}
	}
	if !ls.log.has(`login refused: "cat" from 127.0.0.1:`, "wrong passphrase") {
		t.Errorf("no log line names the name and the address: %q", ls.log.lines)
	}
	right := &asker{pass: classPass, secret: "cat's secret words"}
	if err := ls.login("cat", right.method()); err == nil {
		t.Error("right after the wrong tries for the name, a try was let through")
	}
	if !strings.Contains(right.told(), "Too many wrong tries: wait") {
		t.Errorf("the wait was not said: %q", right.told())
	}
	if !ls.log.has("cat", "throttled") {
		t.Errorf("the throttled try is not logged: %q", ls.log.lines)
	}
	// A classmate behind the same address (a classroom's NAT) is not
	// slowed by a few typos of another's.
	if err := ls.login("ben", (&asker{pass: classPass, secret: "ben's own words"}).method()); err != nil {
		t.Errorf("a classmate's first login after another's three typos: %v", err)
	}
	// Many wrong tries from one address, whatever the names: it waits.
	ls.srv.guard.mu.Lock()
	ls.srv.guard.freeAddr = throttleFree + 3 // cat's 3 count too
	ls.srv.guard.mu.Unlock()
	for range 3 {
		_ = ls.login("ann", (&asker{pass: "guess"}).method())
	}
	if err := ls.login("ben", (&asker{secret: "ben's own words"}).method()); err == nil {
		t.Error("the address that guessed many times logged in as ben at once")
	}
	// A key login is no guess: it goes through.
	if err := ls.login("keyed", gossh.PublicKeys(ls.keyed)); err != nil {
		t.Errorf("a key login while the address waits: %v", err)
	}
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	th := newThrottle(func() time.Time { return now })
	for i := range throttleFree - 1 {
		th.fail("a", "n")
		if w := th.wait("a"); w != 0 {
			t.Fatalf("after %d wrong tries: wait %s", i+1, w)
		}
	}
	var last time.Duration
	for range 8 {
		th.fail("a", "n")
		w := th.wait("a")
		if w <= last && w != throttleMax {
			t.Fatalf("the wait did not grow: %s after %s", w, last)
		}
		if w > throttleMax {
			t.Fatalf("wait %s over the most", w)
		}
		last = w
	}
	if th.wait("other") != 0 || th.wait("n") == 0 {
		t.Error("keys mixed up")
	}
	now = now.Add(throttleMax)
	if th.wait("a") != 0 {
		t.Error("the wait did not end")
	}
	th.ok("a")
	th.fail("a")
	if th.wait("a") != 0 {
		t.Error("a success did not clear the strikes")
	}
}

// Issue 27, 4: 200 idle unauthenticated connections from one address made
// new logins fail. Now the oldest not logged in of the address holding the
// most gives way to a new one, and one that never starts its key exchange
// is closed after KexDeadline; thirty learners behind one address (a
// classroom's NAT) still log in at once.
func TestIdleSocketsDoNotKeepTheClassOut(t *testing.T) {
	t.Parallel()
	// Thirty of one name here stand for thirty learners behind one
	// address: the per-learner bound is another test's.
	ls := newLoginServer(t, func(c *Config) { c.KexDeadline, c.MaxConnsPerLearner = 2*time.Second, 64 })
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 5 * time.Second}
	for range 200 {
		c, err := d.Dial("tcp", ls.addr)
		if err != nil {
			t.Fatalf("the attacker's socket: %v", err)
		}
		idle = append(idle, c)
	}
	start := time.Now()
	if err := ls.loginFrom("127.0.0.1", "keyed", gossh.PublicKeys(ls.keyed)); err != nil {
		t.Fatalf("a learner's login while 200 idle sockets are open: %v", err)
	}
	t.Logf("logged in in %s beside 200 idle sockets", time.Since(start).Round(time.Millisecond))
	// A classmate behind the attacker's own address logs in too.
	if err := ls.loginFrom("127.0.0.2", "keyed", gossh.PublicKeys(ls.keyed)); err != nil {
		t.Errorf("a login from the idle sockets' address: %v", err)
	}
	if !ls.log.has("not logged in after", "closed for a newer one") {
		t.Errorf("the sockets that gave way are not logged: %d lines", len(ls.log.lines))
	}
	ls.srv.mu.Lock()
	held := ls.srv.pendingCount
	ls.srv.mu.Unlock()
	if held > ls.srv.cfg.MaxPending {
		t.Errorf("%d connections not logged in are held, the most is %d", held, ls.srv.cfg.MaxPending)
	}
	// Thirty at once from one address (a classroom's NAT), beside them.
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- ls.loginFrom("127.0.0.1", "keyed", gossh.PublicKeys(ls.keyed))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("one of 30 logins at once: %v", err)
		}
	}
	// The idle ones are closed at the deadline (asked until then and a
	// while after: a loaded machine runs the deadline's timers late).
	left := -1
	for end := time.Now().Add(2*time.Second + 10*time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		ls.srv.mu.Lock()
		left = len(ls.srv.pending["127.0.0.2"])
		ls.srv.mu.Unlock()
		if left == 0 {
			break
		}
	}
	if left != 0 {
		t.Errorf("%d idle sockets still held after the key-exchange deadline", left)
	}
}

// serve --reset NAME through the control socket: the engine reset, the
// learner's folder (progress, binding) gone; the socket is root's alone.
func TestControlReset(t *testing.T) {
	t.Parallel()
	ls := newLoginServer(t, nil)
	if err := ls.login("ben", (&asker{pass: classPass, secret: "ben's own words"}).method()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(ControlPath(ls.state))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("control socket: %v %v", fi, err)
	}
	dir := filepath.Join(ls.state, "learners", "ben")
	if err := os.WriteFile(filepath.Join(dir, "progress.json"), []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Control(ls.state, ControlRequest{Op: "reset", Name: "ben"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("ben's folder is still there: %v", err)
	}
	if got := ls.eng.reset(); len(got) != 1 || got[0] != "ben" {
		t.Errorf("engines reset: %v", got)
	}
	if _, err := Control(ls.state, ControlRequest{Op: "reset", Name: "../etc"}); err == nil {
		t.Error("a reset of a path was taken")
	}
	// A second server on the same state folder is refused.
	srv2, err := New(ls.srv.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := srv2.Serve(ln); err == nil || !strings.Contains(err.Error(), "another classroom server") {
		t.Errorf("a second server on one state folder: %v", err)
	}
	ln.Close()
	ls.srv.Close()
	if _, err := Control(ls.state, ControlRequest{Op: "release", Name: "ben"}); err != ErrNoServer {
		t.Errorf("with the server stopped: %v", err)
	}
}

// Tried as an attacker: a learner with their own key opened 260 logins that
// never opened a session and filled the server's connections; classmates
// could not log in. A learner keeps MaxConnsPerLearner connections: one
// more closes their oldest without a session, never one with a session.
func TestOneLearnerCannotFillTheServer(t *testing.T) {
	t.Parallel()
	ls := newLoginServer(t, nil)
	dial := func() *gossh.Client {
		c, err := gossh.Dial("tcp", ls.addr, &gossh.ClientConfig{User: "keyed", Auth: []gossh.AuthMethod{gossh.PublicKeys(ls.keyed)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// A session that stays open: the app's language question waits.
	withSession := dial()
	defer withSession.Close()
	s, err := withSession.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var screen lockedBuf
	s.Stdout = &screen
	keys, _ := s.StdinPipe() // open, nothing typed: the question waits
	defer keys.Close()
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the language question", func() bool { return strings.Contains(screen.String(), "Language") })
	ended := make(chan error, 1)
	go func() { ended <- s.Wait() }()
	var idle []*gossh.Client
	for range 20 {
		idle = append(idle, dial())
	}
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	time.Sleep(300 * time.Millisecond)
	ls.srv.mu.Lock()
	held, total := len(ls.srv.byLearner["keyed"]), ls.srv.conns
	ls.srv.mu.Unlock()
	if held > ls.srv.cfg.MaxConnsPerLearner {
		t.Errorf("one learner holds %d connections, the most is %d", held, ls.srv.cfg.MaxConnsPerLearner)
	}
	if total > ls.srv.cfg.MaxConnsPerLearner+1 {
		t.Errorf("%d connections counted after the idle ones gave way", total)
	}
	select {
	case err := <-ended:
		t.Errorf("the learner's open session was closed to make room: %v", err)
	default:
	}
	if !ls.log.has("keyed: more than", "the oldest without a session") {
		t.Errorf("the closed connections are not logged")
	}
	// A classmate logs in.
	if err := ls.login("ben", (&asker{pass: classPass, secret: "ben's own words"}).method()); err != nil {
		t.Errorf("a classmate's login: %v", err)
	}
}
