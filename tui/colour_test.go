package tui

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/layerlab/layerlab/docker"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestAn8ColourTerminalGetsItsOwnColours: under TERM=xterm (8/16 colours)
// the app sends only 16-colour codes, never 256-colour or true-colour ones,
// and on a dark background nothing is drawn in black.
func TestAn8ColourTerminalGetsItsOwnColours(t *testing.T) {
	t.Parallel()
	// No daemon where DOCKER_HOST says (one in memory says so: no socket).
	ep := docker.Endpoint{Host: "unix://" + t.TempDir() + "/none.sock", Source: "DOCKER_HOST"}
	cli := &fakeDaemon{ep: &ep, down: &docker.Error{Kind: docker.KindSocketMissing, Op: "connect to the Docker daemon", Host: ep.Host}}
	for _, dark := range []bool{true, false} {
		m := New(Options{Client: cli, Lessons: builtin(t), Dark: dark, Now: func() time.Time { return fixedNow }})
		out := &syncBuffer{}
		prog := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(100, 30),
			tea.WithEnvironment([]string{"TERM=xterm"}), tea.WithColorProfile(colorprofile.ANSI), tea.WithoutSignals())
		done := make(chan error, 1)
		go func() { _, err := prog.Run(); done <- err }()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), "Pick a lesson") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		prog.Quit()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		s := out.String()
		if !strings.Contains(s, "Pick a lesson") {
			t.Fatalf("dark=%v: no frame", dark)
		}
		if regexp.MustCompile(`\x1b\[[0-9;]*[34]8;[25];`).MatchString(s) {
			t.Errorf("dark=%v: 256-colour or true-colour codes on an xterm", dark)
		}
		if dark && regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?30(?:;[0-9;]*)?m`).MatchString(s) {
			t.Errorf("black text on a dark background")
		}
	}
	// A daemon that is not there is asked whether it is, and nothing else.
	for _, c := range cli.calls() {
		if c != "connect" {
			t.Errorf("asked %q of a daemon that is not there (calls: %v)", c, cli.calls())
		}
	}
}
