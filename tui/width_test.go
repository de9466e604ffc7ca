package tui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// TestCellWidthAsAnsi: cellWidth is ansi.StringWidth on every line of a
// learner's frames through a whole pull (borders, bars, colours, the
// spinner), on the characters it counts itself, alone and beside others
// (combining marks, variation selectors, wide and control characters, cut
// escape sequences), and on random strings of them.
func TestCellWidthAsAnsi(t *testing.T) {
	t.Parallel()
	check := func(s string) {
		t.Helper()
		if got, want := cellWidth(s), ansi.StringWidth(s); got != want {
			t.Fatalf("cellWidth(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
	m, k := classroomPullModel(t)
	for _, msg := range classroomPullStream(k, time.Now(), m.look.spin.ID()) {
		m = update1(m, msg)
		for l := range strings.SplitSeq(m.View().Content, "\n") {
			check(l)
		}
	}
	var runes []string
	for r := rune(0x2500); r <= 0x259f; r++ {
		runes = append(runes, string(r))
	}
	for r := rune(0x2800); r <= 0x28ff; r++ {
		runes = append(runes, string(r))
	}
	runes = append(runes, "·", "…", "■", "▒", "›", "•", "✓", "✗", "●", "a", " ", "界", "é", "e\u0301", "\u0301", "\ufe0f", "\u200d",
		"\t", "\x00", "\x7f", "\x1b", "\x1b[", "\x1b[1;31m", "\x1b[0m", "\x1b]8;;http://x\x07", "\x1b]8;;\x1b\\", "\x1b[38;2;1;2;3m", "🙂", "\r")
	for _, a := range runes {
		check(a)
		for _, b := range []string{"a", "\u0301", "\ufe0f", "\u200d", "│", "界", "\x1b[0m"} {
			check(a + b)
			check(b + a)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(runes[rng.IntN(len(runes))])
		}
		check(b.String())
	}
}
