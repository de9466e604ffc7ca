package classroom

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// command runs a session's command: `docker …` against the learner's own
// engine, with the : line's refusals (no host mounts, no privileged, no
// host network, builds only of their workspace); `docker` alone with a
// terminal is a prompt for one command after another. Nothing else runs:
// there is no shell on the host.
func (s *Server) command(sess ssh.Session, t i18n.Strings) {
	raw := strings.TrimSpace(sess.RawCommand())
	if len(raw) > MaxLine {
		wish.Fatalln(sess, i18n.Tr(t.Serve.TooLongFmt, MaxLine))
		return
	}
	if raw != "docker" && !strings.HasPrefix(raw, "docker ") {
		wish.Fatalln(sess, place(t.Serve.OnlyDocker, sess.LocalAddr()))
		return
	}
	ctx := sess.Context()
	app, err := s.client(ctx, sess.User())
	if err != nil {
		s.logEngineError(sess.User(), err)
		wish.Fatalln(sess, t.Serve.EngineFailed)
		return
	}
	// The learner's own terminal: what they make is theirs, not layerlab's.
	cli := app.AsLearner()
	plain := plainSession(sess)
	t = sessionStrings(t)
	run := func(line string) bool {
		if msg := s.overLimit(sess.User(), line, &t); msg != "" {
			fmt.Fprintln(sess, msg)
			return true
		}
		o := s.lineOptions(sess.User(), &t)
		o.NoEscapes = plain
		c, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		out, failed := runLineText(c, cli, line, o)
		if out != "" {
			if _, _, tty := sess.Pty(); tty {
				// A terminal in raw mode: a line feed alone does not
				// return the cursor. A pipe or a file gets plain lines
				// ($(ssh … docker ps -q) must hold no carriage return).
				out = strings.ReplaceAll(out, "\n", "\r\n")
			}
			fmt.Fprintln(sess, out)
		}
		return failed
	}
	if raw != "docker" {
		if run(raw) {
			_ = sess.Exit(1)
			return
		}
		_ = sess.Exit(0)
		return
	}
	if _, _, ok := sess.Pty(); !ok {
		wish.Fatalln(sess, place(t.Serve.PromptNeedsTerminal, sess.LocalAddr()))
		return
	}
	fmt.Fprint(sess, t.Serve.PromptHello+"\r\n")
	in := bufio.NewReader(sess)
	for {
		fmt.Fprint(sess, "docker> ")
		line, ok := readLine(in, sess)
		if !ok {
			fmt.Fprint(sess, "\r\n")
			_ = sess.Exit(0)
			return
		}
		line = strings.TrimSpace(line)
		switch line {
		case "":
			continue
		case "exit", "quit", "logout":
			_ = sess.Exit(0)
			return
		}
		run("docker " + strings.TrimPrefix(line, "docker "))
	}
}

// sessionStrings are the words of a second session's refusals: they cannot
// send the learner to another terminal, there is none.
func sessionStrings(t i18n.Strings) i18n.Strings { return t.InClassroom() }

// limits are what one learner's engine may keep (docker.Limits: the client
// refuses one container, image or volume more, with KindLimit), and no
// bind mount at all: the host is the classroom's machine (a lesson's step
// that mounts a folder of its workspace is refused with KindHostMount).
// What their saves write into their workspace is bounded too: it is on the
// machine's disk, outside their engine's.
func (s *Server) limits(name string) docker.Limits {
	return docker.Limits{Containers: s.cfg.MaxContainers, Images: s.cfg.MaxImages, Volumes: s.cfg.MaxVolumes, NoBindMounts: true,
		SavedRoot: filepath.Join(s.learnerDir(name), "workspace"), SavedBytes: s.cfg.MaxSaved}
}

// plainSession reports whether what a session prints must hold no escape
// code: no terminal (output piped into a file), a dumb one, or NO_COLOR.
func plainSession(sess ssh.Session) bool {
	pty, _, ok := sess.Pty()
	return plainOutput(ok, pty.Term, sess.Environ())
}

// plainOutput: no terminal, TERM=dumb (the terminal's or the
// environment's), or NO_COLOR set to anything, as no-color.org asks.
func plainOutput(terminal bool, term string, env []string) bool {
	if !terminal || term == "dumb" {
		return true
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if (k == "NO_COLOR" && v != "") || (k == "TERM" && v == "dumb") {
			return true
		}
	}
	return false
}

// overLimit is why a command that makes something is refused for the disk
// ("" if it is not): the learner keeps as many bytes as Config allows, so
// that no one fills the machine the class shares. (Containers and images
// are counted by the client: docker.Limits.)
func (s *Server) overLimit(name string, line string, t *i18n.Strings) string {
	f := strings.Fields(strings.TrimPrefix(line, "docker "))
	if len(f) == 0 {
		return ""
	}
	switch f[0] {
	case "run", "create", "pull", "commit", "build", "tag", "save", "load":
	default:
		return ""
	}
	if d := s.cfg.Engines.DiskUse(name); d >= s.cfg.MaxDisk {
		return i18n.Tr(t.Serve.TooMuchDiskFmt, i18n.Size(d), i18n.Size(s.cfg.MaxDisk))
	}
	return ""
}

// lineOptions are where a learner's command runs: for the lesson they have
// open (its containers and images count for it; a build's context is its
// workspace), through the classroom registry.
func (s *Server) lineOptions(name string, t *i18n.Strings) lineOptions {
	s.mu.Lock()
	lesson := s.learnerLocked(name).where.Lesson
	s.mu.Unlock()
	if lesson == "" {
		lesson = "cmdline"
	}
	ws := filepath.Join(s.learnerDir(name), "workspace", lesson)
	if _, err := os.Stat(ws); err != nil {
		ws = ""
	}
	return lineOptions{Lesson: lesson, Workspace: ws, Mirror: s.cfg.Mirror, Strings: t, NotHere: t.Serve.NotHere,
		Lessons: s.cfg.Lessons[i18n.LangEnglish]}
}

// readLine reads a line typed at a terminal in raw mode, echoing it:
// backspace erases, ctrl+u clears, enter ends it; ctrl+c or ctrl+d on an
// empty line (or the session's end) is false. A line stops at MaxLine.
func readLine(in *bufio.Reader, echo io.Writer) (string, bool) {
	var line []rune
	for {
		r, _, err := in.ReadRune()
		if err != nil {
			return "", false
		}
		switch {
		case r == '\r' || r == '\n':
			fmt.Fprint(echo, "\r\n")
			return string(line), true
		case r == 3: // ctrl+c
			return "", false
		case r == 4: // ctrl+d
			if len(line) == 0 {
				return "", false
			}
		case r == 127 || r == 8:
			if len(line) > 0 {
				w := 1
				if utf8.RuneLen(line[len(line)-1]) > 1 {
					w = 2 // a wide (Hangul) character takes two cells
				}
				line = line[:len(line)-1]
				fmt.Fprint(echo, strings.Repeat("\b \b", w))
			}
		case r == 21: // ctrl+u
			fmt.Fprint(echo, strings.Repeat("\b \b", len(line)))
			line = line[:0]
		case r == 27: // an escape sequence (arrows): read and dropped
			if b, err := in.ReadByte(); err == nil && (b == '[' || b == 'O') {
				for {
					c, err := in.ReadByte()
					if err != nil || (c >= 0x40 && c <= 0x7e) {
						break
					}
				}
			}
		case r >= 32 && len(line) < MaxLine:
			line = append(line, r)
			fmt.Fprint(echo, string(r))
		}
	}
}
