package classroom

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"charm.land/ssh"

	"github.com/layerlab/layerlab/docker/engines"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// What the instructor does to a running classroom: reset a learner (their
// sessions end first, then everything of theirs is wiped), release a name
// (its binding goes), stop every engine keeping its data. `layerlab serve
// --reset NAME`, `--release NAME` and `--stop-engines` ask the running
// server through its control socket (STATE/control.sock, root's alone);
// with no server running they act on the state folder themselves.

// begin adopts the engines an earlier server left running, opens the
// control socket and starts the housekeeping.
func (s *Server) begin() error {
	s.adopt()
	if err := s.listenControl(); err != nil {
		return err
	}
	go s.housekeeping()
	return nil
}

// adopt takes up the engines that run without a server (one that was
// killed, or stopped with Ctrl-C): they are the learners', idle from now.
func (s *Server) adopt() {
	for _, name := range s.cfg.Engines.Running() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := s.client(ctx, name)
		cancel()
		if err != nil {
			t := i18n.For(s.cfg.Lang)
			s.cfg.Logf("%s", i18n.Tr(t.Cmd.EngineNoAnswerFmt, name, i18n.EngineErrorText(&t, err)))
			continue
		}
		s.mu.Lock()
		s.learnerLocked(name).lastSeen = time.Now()
		s.mu.Unlock()
		s.cfg.Logf("%s: engine left running: taken up", name)
	}
}

// endLearnerLocked takes learner l's app and sessions away from it (the
// caller ends them, with s.mu unlocked, by ending).
func (s *Server) endLearnerLocked(l *learner) (a *app, sessions []ssh.Session) {
	a, l.app = l.app, nil
	for sess := range l.live {
		sessions = append(sessions, sess)
	}
	return a, sessions
}

// ending ends an app and closes sessions, telling each why in its language.
func ending(a *app, sessions []ssh.Session, why func(ssh.Session) string) {
	// Told first: once the app ends, its session's handler returns and
	// closes the session, and a word written after could be lost. The
	// app's output is taken off the screen before, so that no frame of it
	// covers the word.
	if a != nil {
		a.out.set(nil)
	}
	for _, sess := range sessions {
		_, _ = io.WriteString(sess, "\x1b[?1049l\x1b[?25h\r\n"+why(sess)+"\r\n")
	}
	if a != nil {
		a.end()
	}
	for _, sess := range sessions {
		_ = sess.Exit(1)
		_ = sess.Close()
	}
}

// Reset ends learner name's app and sessions, waits for their commands,
// then removes their engine (with its Unix user) and their folder:
// progress, workspace, ledger, language and the name's binding. Nothing of
// theirs is left in memory to be written back: the next login is a fresh
// start in the engine and in progress.
func (s *Server) Reset(ctx context.Context, name string) error {
	if !engines.ValidName(name) {
		return fmt.Errorf("%q cannot be a learner's name", name)
	}
	s.mu.Lock()
	l := s.learnerLocked(name)
	if l.resetting {
		s.mu.Unlock()
		return fmt.Errorf("%s is being reset already", name)
	}
	l.resetting = true
	a, sessions := s.endLearnerLocked(l)
	cli := l.cli
	l.cli = nil
	s.mu.Unlock()
	ending(a, sessions, func(sess ssh.Session) string { return s.words(sess).Serve.ResetByInstructor })
	l.busy.Lock()
	defer l.busy.Unlock()
	if cli != nil {
		cli.Close()
	}
	err := s.cfg.Engines.Reset(ctx, name)
	if rerr := os.RemoveAll(s.learnerDir(name)); err == nil {
		err = rerr
	}
	s.mu.Lock()
	if s.learners[name] == l {
		delete(s.learners, name)
	}
	s.mu.Unlock()
	s.cfg.Logf("%s: reset (engine, progress, workspace, name's binding): %v", name, err)
	return err
}

// Release unbinds name: the next login with the class passphrase binds it
// anew (a learner who lost their key or forgot their secret).
func (s *Server) Release(name string) error {
	if !engines.ValidName(name) {
		return fmt.Errorf("%q cannot be a learner's name", name)
	}
	err := s.ids.release(name)
	s.cfg.Logf("%s: name released: %v", name, err)
	return err
}

// StopEngines ends every learner's app and sessions and stops every
// engine, keeping their images and containers; it returns whose stopped.
func (s *Server) StopEngines() []string {
	s.mu.Lock()
	type ended struct {
		a        *app
		sessions []ssh.Session
	}
	var all []ended
	var names []string
	for n, l := range s.learners {
		a, sessions := s.endLearnerLocked(l)
		all = append(all, ended{a, sessions})
		if l.cli != nil {
			l.cli.Close()
			l.cli = nil
			names = append(names, n)
		}
	}
	s.mu.Unlock()
	for _, e := range all {
		ending(e.a, e.sessions, func(sess ssh.Session) string { return s.words(sess).Serve.EnginesStopped })
	}
	for _, n := range s.cfg.Engines.Running() {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		if err := s.cfg.Engines.Stop(n); err != nil {
			s.cfg.Logf("%s: stop: %v", n, err)
		}
	}
	s.cfg.Logf("engines stopped (their data kept): %v", names)
	return names
}

// ControlPath is the running server's control socket in stateDir.
func ControlPath(stateDir string) string { return filepath.Join(stateDir, "control.sock") }

// ControlRequest is what `layerlab serve --reset/--release/--stop-engines`
// asks a running server.
type ControlRequest struct {
	Op   string `json:"op"` // "reset", "release", "stop-engines"
	Name string `json:"name,omitempty"`
}

// ControlReply is its answer.
type ControlReply struct {
	Names []string `json:"names,omitempty"`
	Error string   `json:"error,omitempty"`
}

// ErrNoServer: no server answers on the control socket.
var ErrNoServer = errors.New("no classroom server runs with this state folder")

// listenControl opens the control socket (a stale one, whose server is
// gone, is replaced; one that answers means another server runs here).
func (s *Server) listenControl() error {
	path := ControlPath(s.cfg.StateDir)
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return fmt.Errorf("another classroom server runs with the state folder %s", s.cfg.StateDir)
	}
	_ = os.Remove(path)
	// Connecting needs write permission: under the usual umask nobody but
	// root has it from the start; 0600 makes sure.
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	_ = os.Chmod(path, 0o600)
	s.control = ln
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serveControl(c)
		}
	}()
	return nil
}

func (s *Server) serveControl(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(c, 4096)).ReadBytes('\n')
	var req ControlRequest
	var rep ControlReply
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	_ = c.SetReadDeadline(time.Time{})
	switch {
	case err != nil:
		rep.Error = "bad request: " + err.Error()
	case req.Op == "reset":
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		err = s.Reset(ctx, req.Name)
		cancel()
	case req.Op == "release":
		err = s.Release(req.Name)
	case req.Op == "stop-engines":
		rep.Names = s.StopEngines()
	default:
		err = fmt.Errorf("unknown request %q", req.Op)
	}
	if err != nil && rep.Error == "" {
		rep.Error = err.Error()
	}
	b, _ := json.Marshal(rep)
	_, _ = c.Write(append(b, '\n'))
}

// Control asks the server running with stateDir to do req; ErrNoServer
// when none runs there.
func Control(stateDir string, req ControlRequest) (ControlReply, error) {
	c, err := net.DialTimeout("unix", ControlPath(stateDir), 2*time.Second)
	if err != nil {
		return ControlReply{}, ErrNoServer
	}
	defer c.Close()
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		return ControlReply{}, err
	}
	var rep ControlReply
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		return rep, fmt.Errorf("the server did not answer: %w", err)
	}
	if err := json.Unmarshal(line, &rep); err != nil {
		return rep, err
	}
	if rep.Error != "" {
		return rep, errors.New(rep.Error)
	}
	return rep, nil
}

// ReleaseOffline unbinds name in stateDir when no server runs.
func ReleaseOffline(stateDir, name string) error {
	if !engines.ValidName(name) {
		return fmt.Errorf("%q cannot be a learner's name", name)
	}
	ids := &identities{dir: func(n string) string { return filepath.Join(stateDir, "learners", n) }}
	return ids.release(name)
}
