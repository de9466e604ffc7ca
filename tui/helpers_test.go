package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func builtin(t testing.TB) []*lessons.Lesson {
	t.Helper()
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// builtinByLang are the built-in lessons in each language, read once for
// every test: no model changes a lesson (what a learner does is the engine's
// state).
var builtinByLang = sync.OnceValues(func() (map[string][]*lessons.Lesson, error) {
	byLang := map[string][]*lessons.Lesson{}
	for _, l := range []string{"en", "ko"} {
		ls, err := lessons.Builtin(l)
		if err != nil {
			return nil, err
		}
		byLang[l] = ls
	}
	return byLang, nil
})

// testModel is a model in English on a daemon in memory (fakeDaemon):
// nothing a test does with it opens a socket.
func testModel(t testing.TB, w, h int) Model {
	t.Helper()
	return testModelIn(t, "en", w, h)
}

// testModelIn is testModel speaking lang.
func testModelIn(t testing.TB, lang string, w, h int) Model {
	t.Helper()
	byLang, err := builtinByLang()
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Client: &fakeDaemon{}, Lessons: byLang[lang], Languages: byLang, Lang: lang, Dark: true, Now: func() time.Time { return fixedNow }})
	return update1(m, tea.WindowSizeMsg{Width: w, Height: h})
}

func update1(m Model, msg tea.Msg) Model {
	nm, _ := m.Update(msg)
	return nm.(Model)
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

func typeText(m Model, s string) Model {
	for _, r := range s {
		m = update1(m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

// screen is the model's rendered view without colours.
func viewText(m Model) string {
	return ansi.Strip(m.View().Content)
}

func golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("view differs from %s (go test ./tui -run %s -update rewrites it)\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}

// drive runs the model the way Bubble Tea does: every command in a goroutine,
// every message back into Update, until done says so or time runs out.
// Timer messages that would loop forever (spinner, highlight) are dropped.
func drive(t testing.TB, m Model, cmd tea.Cmd, timeout time.Duration, done func(Model, tea.Msg) bool) Model {
	t.Helper()
	return runModel(t, m, cmd, timeout, done)
}

// settle runs the model like drive until every command it started has
// answered and nothing is left in flight: the screen a learner sees once the
// daemon has had its say.
func settle(t testing.TB, m Model, cmd tea.Cmd, timeout time.Duration) Model {
	t.Helper()
	return runModel(t, m, cmd, timeout, nil)
}

// runModel is drive (done set) and settle (done nil), on the same pump the
// plain mode uses; running out of time fails the test.
func runModel(t testing.TB, m Model, cmd tea.Cmd, timeout time.Duration, done func(Model, tea.Msg) bool) Model {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	stopped := false
	m = pump(ctx, m, cmd, func(m Model, msg tea.Msg) bool {
		stopped = done != nil && done(m, msg)
		return stopped
	})
	if ctx.Err() != nil || (done != nil && !stopped) {
		t.Fatalf("timed out; screen:\n%s", viewText(m))
	}
	return m
}

func tea_size(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func ansiWidth(s string) int { return ansi.StringWidth(s) }

func tea_up() tea.KeyPressMsg { return tea.KeyPressMsg{Code: tea.KeyUp} }

// openAt is a connected model of the given size with lesson id open, and the
// index of its first step that match accepts.
func openAt(t *testing.T, w, h int, id string, match func(*lessons.Step) bool) (Model, int) {
	t.Helper()
	m := testModel(t, w, h)
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, id)
	for _, st := range m.lesson().Steps {
		if match(st) {
			return m, st.Index
		}
	}
	t.Fatalf("lesson %s has no such step", id)
	return m, -1
}

// realClient is the model's daemon as the real client a daemon test gave it
// (its ledger is the test's).
func realClient(t testing.TB, m Model) *docker.Client {
	t.Helper()
	c, ok := m.opts.Client.(*docker.Client)
	if !ok {
		t.Fatalf("the model's daemon is %T, not a real client", m.opts.Client)
	}
	return c
}

// answer is the daemon's answer to the read a docker images / docker ps
// step is waiting for (the step in flight), or to a read of the picture.
func answer(m Model, snap snapshotMsg) Model {
	if m.work.busy != nil {
		k := *m.work.busy
		snap.table = &k
	}
	return update1(m, snap)
}
