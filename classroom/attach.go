package classroom

import (
	"io"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"github.com/layerlab/layerlab/tui/pacer"
)

// app is a learner's app on the server. It outlives the SSH session that
// shows it: on bad Wi-Fi a session drops, and a pull or a build that was
// running goes on; the learner's next login is shown the app as it is, the
// step's result there. Only q (or a long absence) ends it.
type app struct {
	p   *tea.Program
	in  *io.PipeWriter
	out *switchWriter
	// done is closed when the program has ended.
	done chan struct{}

	mu  sync.Mutex
	cur ssh.Session
}

// switchWriter is the app's output: the attached session, or nowhere.
// A session that is gone never fails the program's writes.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w != nil {
		_, _ = s.w.Write(p)
	}
	return len(p), nil
}

func (s *switchWriter) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

// newApp starts the learner's app, shown in sess.
func newApp(m tea.Model, sess ssh.Session, pty ssh.Pty, onEnd func()) *app {
	r, w := io.Pipe()
	a := &app{in: w, out: &switchWriter{w: sess}, done: make(chan struct{}), cur: sess}
	env := append(sess.Environ(), "TERM="+pty.Term)
	pace := pacer.New(fps)
	a.p = tea.NewProgram(pace.Wrap(m),
		tea.WithInput(r), tea.WithOutput(a.out), tea.WithEnvironment(env),
		tea.WithColorProfile(colorprofile.Env(env)), tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
		tea.WithFPS(fps),
		// No suspending a program whose terminal is a session.
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return tea.ResumeMsg{}
			}
			return msg
		}))
	pace.Attach(a.p)
	go func() {
		_, _ = a.p.Run()
		a.p.Kill()
		close(a.done)
		r.Close()
		onEnd()
	}()
	return a
}

// show shows the app in sess until the session ends (the app goes on,
// detached) or the app ends (q). A new session of the same learner takes
// the app over from an older one, which is told so and closed.
func (a *app) show(sess ssh.Session, pty ssh.Pty, windows <-chan ssh.Window, fresh bool, takenOver func(ssh.Session) string) {
	a.mu.Lock()
	old := a.cur
	a.cur = sess
	a.mu.Unlock()
	if old != nil && old != sess {
		a.out.set(nil)
		_, _ = io.WriteString(old, "\x1b[?1049l\x1b[?25h\r\n"+takenOver(old)+"\r\n")
		_ = old.Close()
	}
	if !fresh {
		// A terminal that has not seen the app: its screen as it is now.
		_, _ = io.WriteString(sess, "\x1b[?1049h\x1b[?25l\x1b[2J\x1b[H")
		a.out.set(sess)
		a.p.Send(tea.WindowSizeMsg{Width: pty.Window.Width, Height: pty.Window.Height})
		a.p.Send(tea.ClearScreen())
	}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := sess.Read(buf)
			if n > 0 {
				a.mu.Lock()
				mine := a.cur == sess
				a.mu.Unlock()
				if mine {
					if _, werr := a.in.Write(buf[:n]); werr != nil {
						return
					}
				}
			}
			if err != nil {
				return
			}
		}
	}()
	for {
		select {
		case w := <-windows:
			a.mu.Lock()
			mine := a.cur == sess
			a.mu.Unlock()
			if mine {
				a.p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		case <-sess.Context().Done():
			a.mu.Lock()
			if a.cur == sess {
				a.cur = nil
				a.out.set(nil)
			}
			a.mu.Unlock()
			return
		case <-a.done:
			return
		}
	}
}

// end ends the app (its learner has been away too long, or the server stops).
func (a *app) end() {
	a.p.Kill()
	<-a.done
}
