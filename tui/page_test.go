package tui

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// para is n numbered lines of a page: "name 0", "name 1", …
func para(name string, n int) string {
	var l []string
	for i := range n {
		l = append(l, name+" "+itoa(i))
	}
	return strings.Join(l, "\n")
}

// The lesson page on its own: it knows where each step card is, scrolls a
// card into view, reveals a finished card's end, and keeps the reading
// place when the daemon's banner comes above.
func TestLessonPageOnItsOwn(t *testing.T) {
	t.Parallel()
	b := builtLesson{lesson: "l", width: 40,
		parts: []string{para("text", 30), para("card1", 5), para("text2", 30), para("card2", 20)},
		steps: []bool{false, true, false, true}}
	p := newLessonPage(DefaultKeyMap(i18n.For("en")))
	p.SetSize(40, 10)
	p.Set(b)
	if got := p.Lines(); len(got) != 10 || got[0] != "text 0" {
		t.Fatalf("the page does not start at the top: %q", got)
	}
	p.ScrollToStep(1)
	if got := p.Lines(); !strings.Contains(strings.Join(got[:3], "\n"), "card2 0") {
		t.Errorf("step 2's card is not brought into view: %q", got)
	}
	p.Top()
	p.ScrollToStep(0)
	top := p.Lines()[0]
	p.RevealStep(0) // a 5-line card fits: nothing moves
	if p.Lines()[0] != top {
		t.Error("a card already in view moved")
	}
	p.ScrollToStep(1)
	p.RevealStep(1) // 20 lines: down to its end, never past its first line
	if got := p.Lines(); got[0] != "card2 0" {
		t.Errorf("revealing a long card went past its first line: %q", got)
	}
	reading := p.Lines()[0]
	b.banner = true
	b.parts = append([]string{"daemon away\nline 2\nline 3"}, b.parts...)
	p.Set(b)
	if got := p.Lines()[0]; got != reading {
		t.Errorf("the banner moved the reading place: %q, was %q", got, reading)
	}
	p, _ = p.Update(press(" ")) // space pages down
	if got := p.Lines()[0]; got == reading {
		t.Error("space does not page down")
	}
	paged := p.Lines()[0]
	if p, _ = p.Update(press("f")); p.Lines()[0] != paged {
		t.Error("f paged (it is force)")
	}
}

// A resize wraps every part again: the part the learner was reading stays
// at the top of the window (a running pull's card at 100x30 stayed off
// screen at 80x24, its text above having grown by many lines).
func TestLessonPageKeepsItsPlaceOnResize(t *testing.T) {
	t.Parallel()
	wide := builtLesson{lesson: "l", width: 60,
		parts: []string{para("text", 20), para("card1", 6), para("text2", 20)},
		steps: []bool{false, true, false}}
	narrow := builtLesson{lesson: "l", width: 40,
		parts: []string{para("text", 35), para("card1", 8), para("text2", 30)},
		steps: []bool{false, true, false}}
	p := newLessonPage(DefaultKeyMap(i18n.For("en")))
	p.SetSize(60, 10)
	p.Set(wide)
	p.ScrollToStep(0)
	p.vp.SetYOffset(20) // the card's first line at the top
	if got := p.Lines()[0]; got != "card1 0" {
		t.Fatalf("setup: %q", got)
	}
	p.SetSize(40, 12)
	p.Set(narrow)
	if got := p.Lines()[0]; got != "card1 0" {
		t.Errorf("narrower: the top line is %q, not the card's first", got)
	}
	p.vp.SetYOffset(35 + 8 + 15) // half way into text2
	p.SetSize(60, 10)
	p.Set(wide)
	if got := p.Lines()[0]; got != "text2 10" {
		t.Errorf("wider: the top line is %q, not half way into the same part", got)
	}
}
