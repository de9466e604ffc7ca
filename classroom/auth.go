package classroom

import (
	"encoding/hex"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// Who may log in, and how (see identity.go for the bindings):
//   - a learner the class lists with keys: one of those keys;
//   - a learner listed without a key, the first time: the class passphrase,
//     which binds the name to the key their client proved it holds, else
//     to a secret they choose then;
//   - that learner afterwards: the bound key, or the secret.
//
// Wrong passphrases and secrets are logged (name and address) and slowed,
// per address and per name. Until a connection has logged in it counts
// toward MaxPending; when it is full, the oldest of the address holding
// the most gives way, and each has a deadline for its key exchange, so idle
// sockets from one address never keep the class out.

var errDenied = errors.New("permission denied")

// connKey keeps a connection's *countedConn in its ssh.Context.
type connKey struct{}

// serverConfig is the SSH configuration of one connection (ctx is its
// context): the authentication callbacks, with the learner's name and the
// addresses put in ctx as the ssh package's own handlers do.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	cfg := &gossh.ServerConfig{MaxAuthTries: 6}
	cfg.PreAuthConnCallback = func(gossh.ServerPreAuthConn) {
		if cc, ok := ctx.Value(connKey{}).(*countedConn); ok {
			cc.kexed.Store(true)
		}
	}
	// A key is a candidate when it is the learner's, or when the name is
	// still to be bound (the key then goes on to the passphrase); the
	// client proves it holds the key before VerifiedPublicKeyCallback.
	cfg.PublicKeyCallback = func(conn gossh.ConnMetadata, key gossh.PublicKey) (*gossh.Permissions, error) {
		meta(ctx, conn)
		name := conn.User()
		if s.cfg.Class.KeyFits(name, key) || s.ids.keyFits(name, key) || s.unbound(name) {
			return &gossh.Permissions{}, nil
		}
		return nil, errDenied
	}
	cfg.VerifiedPublicKeyCallback = func(conn gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, _ string) (*gossh.Permissions, error) {
		name := conn.User()
		if s.cfg.Class.KeyFits(name, key) || s.ids.keyFits(name, key) {
			s.loggedIn(ctx, conn, "key "+gossh.FingerprintSHA256(key))
			return perms, nil
		}
		if s.unbound(name) {
			// The first login: the passphrase next, then the key is theirs.
			return nil, &gossh.PartialSuccessError{Next: gossh.ServerAuthCallbacks{
				KeyboardInteractiveCallback: func(conn gossh.ConnMetadata, ask gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
					return s.interactive(ctx, conn, ask, key)
				},
				PasswordCallback: func(conn gossh.ConnMetadata, pass []byte) (*gossh.Permissions, error) {
					return s.password(ctx, conn, string(pass), key)
				},
			}}
		}
		return nil, errDenied
	}
	cfg.KeyboardInteractiveCallback = func(conn gossh.ConnMetadata, ask gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
		meta(ctx, conn)
		return s.interactive(ctx, conn, ask, nil)
	}
	cfg.PasswordCallback = func(conn gossh.ConnMetadata, pass []byte) (*gossh.Permissions, error) {
		meta(ctx, conn)
		return s.password(ctx, conn, string(pass), nil)
	}
	return cfg
}

// meta puts what the ssh package's handlers and sessions read into ctx.
func meta(ctx ssh.Context, conn gossh.ConnMetadata) {
	ctx.SetValue(ssh.ContextKeyUser, conn.User())
	if ctx.Value(ssh.ContextKeySessionID) != nil {
		return
	}
	ctx.SetValue(ssh.ContextKeySessionID, hex.EncodeToString(conn.SessionID()))
	ctx.SetValue(ssh.ContextKeyClientVersion, string(conn.ClientVersion()))
	ctx.SetValue(ssh.ContextKeyServerVersion, string(conn.ServerVersion()))
	ctx.SetValue(ssh.ContextKeyLocalAddr, conn.LocalAddr())
	ctx.SetValue(ssh.ContextKeyRemoteAddr, conn.RemoteAddr())
}

// unbound reports whether name is listed without a key and not yet bound
// (its next login with the passphrase binds it).
func (s *Server) unbound(name string) bool {
	keys, listed := s.cfg.Class.Learners[name]
	if !listed || len(keys) > 0 || s.cfg.Class.Passphrase == "" {
		return false
	}
	bd, err := s.ids.get(name)
	return bd == nil && err == nil
}

// interactive is a keyboard-interactive login (key: a key the client proved
// it holds, on a first login; nil otherwise).
func (s *Server) interactive(ctx ssh.Context, conn gossh.ConnMetadata, ask gossh.KeyboardInteractiveChallenge, key gossh.PublicKey) (*gossh.Permissions, error) {
	t := i18n.For(s.cfg.Lang)
	name := conn.User()
	say := func(msg string) { _, _ = ask("", place(msg, conn.LocalAddr()), nil, nil) }
	keys, listed := s.cfg.Class.Learners[name]
	switch {
	case !listed:
		say(i18n.Tr(t.Serve.UnknownFmt, name))
		s.refusedLogin(conn, "not on the class list", false)
		return nil, errDenied
	case len(keys) > 0:
		say(t.Serve.KeyOnly)
		s.refusedLogin(conn, "listed with a key; no key offered", false)
		return nil, errDenied
	}
	if wait := s.throttled(conn); wait > 0 {
		say(i18n.Tr(t.Serve.WaitFmt, int(wait.Seconds()+0.999)))
		s.refusedLogin(conn, "throttled for "+wait.Round(time.Second).String(), false)
		return nil, errDenied
	}
	bd, err := s.ids.get(name)
	if err != nil {
		say(t.Serve.BindingBroken)
		s.refusedLogin(conn, "identity unreadable: "+err.Error(), false)
		return nil, errDenied
	}
	if bd != nil {
		if bd.Hash == "" {
			say(t.Serve.BoundToKey)
			s.refusedLogin(conn, "bound to a key; none of it offered", false)
			return nil, errDenied
		}
		answers, err := ask("", "", []string{t.Serve.SecretQuestion}, []bool{false})
		if err != nil || len(answers) != 1 || !s.ids.secretFits(name, answers[0]) {
			s.refusedLogin(conn, "wrong secret", true)
			return nil, errDenied
		}
		s.loggedIn(ctx, conn, "secret")
		return &gossh.Permissions{}, nil
	}
	answers, err := ask("", "", []string{t.Serve.PassQuestion}, []bool{false})
	if err != nil || len(answers) != 1 || !s.cfg.Class.PassFits(name, answers[0]) {
		s.refusedLogin(conn, "wrong passphrase", true)
		return nil, errDenied
	}
	if key != nil {
		if err := s.ids.bind(name, key, ""); err != nil {
			say(t.Serve.BindRace)
			s.refusedLogin(conn, "bind: "+err.Error(), false)
			return nil, errDenied
		}
		say(i18n.Tr(t.Serve.BoundKeyFmt, gossh.FingerprintSHA256(key)))
		s.loggedIn(ctx, conn, "passphrase; name bound to key "+gossh.FingerprintSHA256(key))
		return &gossh.Permissions{}, nil
	}
	// No key: a secret of their own, for the next logins.
	instruction := i18n.Tr(t.Serve.ChooseSecretFmt, MinSecret)
	for range 3 {
		a, err := ask("", instruction, []string{t.Serve.SecretNew, t.Serve.SecretAgain}, []bool{false, false})
		if err != nil || len(a) != 2 {
			break
		}
		switch {
		case a[0] != a[1]:
			instruction = t.Serve.SecretMismatch
			continue
		case len([]rune(a[0])) < MinSecret || strings.TrimSpace(a[0]) == "":
			instruction = i18n.Tr(t.Serve.SecretShortFmt, MinSecret)
			continue
		case s.cfg.Class.PassFits(name, a[0]):
			instruction = t.Serve.SecretIsPass
			continue
		}
		if err := s.ids.bind(name, nil, a[0]); err != nil {
			say(t.Serve.BindRace)
			s.refusedLogin(conn, "bind: "+err.Error(), false)
			return nil, errDenied
		}
		s.loggedIn(ctx, conn, "passphrase; name bound to a secret")
		return &gossh.Permissions{}, nil
	}
	s.refusedLogin(conn, "no secret chosen", false)
	return nil, errDenied
}

// password is a password login: a bound learner's secret, or (on a first
// login, with a key the client proved it holds) the class passphrase. A
// first login without a key must choose a secret, which a password prompt
// cannot ask: OpenSSH asks it (keyboard-interactive comes first).
func (s *Server) password(ctx ssh.Context, conn gossh.ConnMetadata, pass string, key gossh.PublicKey) (*gossh.Permissions, error) {
	name := conn.User()
	keys, listed := s.cfg.Class.Learners[name]
	if !listed || len(keys) > 0 {
		s.refusedLogin(conn, "password for a name not listed without a key", false)
		return nil, errDenied
	}
	if wait := s.throttled(conn); wait > 0 {
		s.refusedLogin(conn, "throttled for "+wait.Round(time.Second).String(), false)
		return nil, errDenied
	}
	bd, err := s.ids.get(name)
	switch {
	case err != nil:
		s.refusedLogin(conn, "identity unreadable: "+err.Error(), false)
		return nil, errDenied
	case bd != nil:
		if bd.Hash == "" || !s.ids.secretFits(name, pass) {
			s.refusedLogin(conn, "wrong secret (password)", true)
			return nil, errDenied
		}
		s.loggedIn(ctx, conn, "secret (password)")
		return &gossh.Permissions{}, nil
	}
	if !s.cfg.Class.PassFits(name, pass) {
		s.refusedLogin(conn, "wrong passphrase (password)", true)
		return nil, errDenied
	}
	if key == nil {
		s.refusedLogin(conn, "first login by password without a key: no secret can be chosen", false)
		return nil, errDenied
	}
	if err := s.ids.bind(name, key, ""); err != nil {
		s.refusedLogin(conn, "bind: "+err.Error(), false)
		return nil, errDenied
	}
	s.loggedIn(ctx, conn, "passphrase; name bound to key "+gossh.FingerprintSHA256(key))
	return &gossh.Permissions{}, nil
}

func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

// throttled is how long conn's address or name must wait before a try.
func (s *Server) throttled(conn gossh.ConnMetadata) time.Duration {
	return s.guard.wait("a:"+hostOf(conn.RemoteAddr()), "n:"+conn.User())
}

// refusedLogin logs a refused login; a wrong secret (guess) counts against
// the address and the name.
func (s *Server) refusedLogin(conn gossh.ConnMetadata, why string, guess bool) {
	if guess {
		s.guard.fail("a:"+hostOf(conn.RemoteAddr()), "n:"+conn.User())
	}
	s.cfg.Logf("login refused: %q from %s: %s", conn.User(), conn.RemoteAddr(), why)
}

// loggedIn logs a login, clears its strikes and stops counting its
// connection against its address.
func (s *Server) loggedIn(ctx ssh.Context, conn gossh.ConnMetadata, how string) {
	// The name's strikes go; the address's stay (a login of one's own
	// between guesses at others' must not reset them).
	s.guard.ok("n:" + conn.User())
	s.cfg.Logf("login: %s from %s (%s)", conn.User(), conn.RemoteAddr(), how)
	if cc, ok := ctx.Value(connKey{}).(*countedConn); ok {
		cc.authenticated(conn.User())
	}
}

// admit bounds the connections at once (MaxConns) and those not logged in
// yet (MaxPending). When either is full, the oldest connection not logged in
// of the address that holds the most of them makes room: idle sockets from
// one address give way to a learner's login, and thirty learners behind one
// classroom NAT all log in at once. A connection must finish its key
// exchange within KexDeadline.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	host := hostOf(c.RemoteAddr())
	s.mu.Lock()
	select {
	case <-s.stop:
		// The server is closing (checked under mu: Close gathers the
		// connections to close under it too).
		s.mu.Unlock()
		c.Close()
		return nil
	default:
	}
	var evict *countedConn
	if s.conns >= s.cfg.MaxConns || s.pendingCount >= s.cfg.MaxPending {
		evict = s.oldestPendingLocked()
		if evict == nil {
			s.mu.Unlock()
			c.Close()
			s.logRefusedConn(host)
			return nil
		}
		// Counted out now, so that the new connection has its place.
		s.dropPendingLocked(evict)
		evict.authed.Store(true)
		s.conns--
		evict.counted.Store(false)
	}
	cc := &countedConn{Conn: c, s: s, host: host, since: time.Now()}
	cc.counted.Store(true)
	s.conns++
	s.pending[host] = append(s.pending[host], cc)
	s.pendingCount++
	s.mu.Unlock()
	if evict != nil {
		s.cfg.Logf("connection from %s not logged in after %s: closed for a newer one from %s", evict.RemoteAddr(), time.Since(evict.since).Round(time.Millisecond), c.RemoteAddr())
		_ = evict.Conn.Close()
	}
	ctx.SetValue(connKey{}, cc)
	time.AfterFunc(s.cfg.KexDeadline, func() {
		if !cc.kexed.Load() {
			s.cfg.Logf("connection from %s: no key exchange within %s: closed", c.RemoteAddr(), s.cfg.KexDeadline)
			cc.Close()
		}
	})
	return cc
}

// oldestPendingLocked is the oldest connection not logged in of the address
// holding the most of them (nil if none).
func (s *Server) oldestPendingLocked() *countedConn {
	var most []*countedConn
	for _, l := range s.pending {
		if len(l) > len(most) {
			most = l
		}
	}
	if len(most) == 0 {
		return nil
	}
	return most[0]
}

func (s *Server) dropPendingLocked(c *countedConn) {
	l := s.pending[c.host]
	for i, x := range l {
		if x == c {
			l = append(l[:i:i], l[i+1:]...)
			s.pendingCount--
			break
		}
	}
	if len(l) == 0 {
		delete(s.pending, c.host)
	} else {
		s.pending[c.host] = l
	}
}

// logRefusedConn logs refused connections, once a minute per address.
func (s *Server) logRefusedConn(host string) {
	s.mu.Lock()
	last := s.connLog[host]
	now := time.Now()
	if now.Sub(last) < time.Minute {
		s.mu.Unlock()
		return
	}
	s.connLog[host] = now
	s.mu.Unlock()
	s.cfg.Logf("connection from %s refused: %d connections in all, every one logged in", host, s.cfg.MaxConns)
}

type countedConn struct {
	net.Conn
	s     *Server
	host  string
	since time.Time
	kexed atomic.Bool
	// authed: logged in (or made way for a newer one): no longer pending.
	authed atomic.Bool
	// counted: still counted in the server's connections.
	counted atomic.Bool
	// user is the learner it logged in as; sessions, how many it has open.
	user      string
	sessions  atomic.Int32
	closeOnce sync.Once
}

// authenticated moves c from the connections not logged in to user's. A
// learner keeps MaxConnsPerLearner connections at most: one more closes
// their oldest that has no session open (logins that never open one, a
// way to fill the server's connections, give way; sessions are bounded by
// MaxSessions).
func (c *countedConn) authenticated(user string) {
	s := c.s
	s.mu.Lock()
	if !c.authed.CompareAndSwap(false, true) {
		s.mu.Unlock()
		return
	}
	s.dropPendingLocked(c)
	c.user = user
	s.byLearner[user] = append(s.byLearner[user], c)
	var evict *countedConn
	if l := s.byLearner[user]; len(l) > s.cfg.MaxConnsPerLearner {
		for _, x := range l {
			if x != c && x.sessions.Load() == 0 {
				evict = x
				break
			}
		}
	}
	s.mu.Unlock()
	if evict != nil {
		s.cfg.Logf("%s: more than %d connections: the oldest without a session (from %s) closed", user, s.cfg.MaxConnsPerLearner, evict.RemoteAddr())
		evict.Close()
	}
}

func (s *Server) dropLearnerConnLocked(c *countedConn) {
	l := s.byLearner[c.user]
	for i, x := range l {
		if x == c {
			l = append(l[:i:i], l[i+1:]...)
			break
		}
	}
	if len(l) == 0 {
		delete(s.byLearner, c.user)
	} else {
		s.byLearner[c.user] = l
	}
}

func (c *countedConn) Close() error {
	c.closeOnce.Do(func() {
		c.s.mu.Lock()
		if c.counted.CompareAndSwap(true, false) {
			c.s.conns--
		}
		if c.authed.CompareAndSwap(false, true) {
			c.s.dropPendingLocked(c)
		}
		if c.user != "" {
			c.s.dropLearnerConnLocked(c)
		}
		c.s.mu.Unlock()
	})
	return c.Conn.Close()
}
