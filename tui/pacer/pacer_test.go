package pacer

import (
	"bytes"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// wordModel shows one word; a string message replaces it.
type wordModel struct{ word string }

func (m wordModel) Init() tea.Cmd { return nil }

func (m wordModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case string:
		m.word = msg
	case tea.KeyPressMsg:
		return m, tea.Quit
	}
	return m, nil
}

func (m wordModel) View() tea.View { return tea.NewView(m.word) }

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls cond for up to ten seconds (a deadline for a hang, not a
// performance figure: bench/run.sh measures those).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The pacer must find Bubble Tea's renderer ticker (an unexported field: an
// upgrade that renames it fails here), slow it once the screen is quiet, and
// a change after that must still reach the terminal.
func TestPacerFindsTheRendererTicker(t *testing.T) {
	out := &lockedBuffer{}
	pacer := New(90)
	pacer.Quiet = 50 * time.Millisecond
	prog := tea.NewProgram(pacer.Wrap(wordModel{word: "first"}), tea.WithInput(nil), tea.WithOutput(out),
		tea.WithWindowSize(40, 5), tea.WithoutSignals(), tea.WithFPS(90))
	pacer.Attach(prog)
	done := make(chan error, 1)
	go func() { _, err := prog.Run(); done <- err }()

	waitFor(t, "the first frame", func() bool { return strings.Contains(out.String(), "first") })
	if !pacer.Found() {
		t.Fatal("the pacer did not find tea.Program's renderer ticker: Bubble Tea changed; see tui/pacer/pacer.go")
	}
	waitFor(t, "the renderer slowed while nothing changes", func() bool { s, _, _ := pacer.Counts(); return s >= 1 })
	_, _, leads := pacer.Counts()

	prog.Send("second")
	waitFor(t, "a change after the quiet spell on screen", func() bool { return strings.Contains(out.String(), "second") })
	if _, r, l := pacer.Counts(); r < 1 || l <= leads {
		t.Fatalf("the change did not wake the renderer (resumed %d) or was not drawn at once (leads %d, before %d)", r, l, leads)
	}
	waitFor(t, "slowed again", func() bool { s, _, _ := pacer.Counts(); return s >= 2 })

	prog.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A program that is never attached (tests, plain mode) is not paced and the
// wrapper changes nothing about the model.
func TestPacerWithoutProgramIsInert(t *testing.T) {
	pacer := New(90)
	m := pacer.Wrap(wordModel{word: "a"})
	m, _ = m.Update("b")
	if got := m.View().Content; got != "b" {
		t.Fatalf("view %q, want b", got)
	}
	if pacer.Found() {
		t.Fatal("found a ticker without a program")
	}
}

// TestBubbleTeaStillHasTheTicker fails loudly, on its own, the day Bubble
// Tea renames or retypes the field the pacer reads (tea.Program.ticker).
func TestBubbleTeaStillHasTheTicker(t *testing.T) {
	f, ok := reflect.TypeFor[tea.Program]().FieldByName("ticker")
	if !ok || f.Type != reflect.TypeFor[*time.Ticker]() {
		t.Fatalf("tea.Program has no field ticker of type *time.Ticker (found %v): the pacer cannot pace this Bubble Tea; update tui/pacer/pacer.go", f.Type)
	}
}
