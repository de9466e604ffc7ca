package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// lessonPage is the lesson pane's scrolling page, a component: the lesson's
// parts as drawn (its markdown and its step cards, the daemon's banner
// atop), where each step card starts and ends, and the place the learner is
// reading. The model draws the parts (it knows the daemon and the steps);
// the page holds them in order (Set), scrolls (Update with the paging keys,
// ScrollToStep, RevealStep, Top) and draws its window (View).
type lessonPage struct {
	vp viewport.Model
	// built is the content as last set; lines the same, line by line.
	built builtLesson
	lines []string
	// stepLines are the lines where each step card starts; stepEnds the
	// lines just after each.
	stepLines, stepEnds []int
	// bannerLines is the height of the daemon's banner atop bannerLesson's content.
	bannerLines  int
	bannerLesson string
	// partStarts are the lines where each of built's parts starts.
	partStarts []int
	// blank are empty lines for the viewport, which only scrolls (never
	// written: a viewport changes only lines that hold a line break).
	blank []string
}

// builtLesson is a lesson's content as drawn: one string per part (the
// daemon's banner first, when it shows), for the width it was drawn at;
// steps says which of the lesson's parts are step cards.
type builtLesson struct {
	lesson string
	width  int
	banner bool
	parts  []string
	steps  []bool
	// pullKey is the PullKey of step pullStep's card as refreshStep drew
	// it last ("": none; a page made whole has none).
	pullKey  string
	pullStep int
}

func newLessonPage(k KeyMap) lessonPage {
	p := lessonPage{vp: viewport.New()}
	p.SetKeys(k)
	return p
}

// SetKeys gives the page its paging keys (f is force, not a page).
func (p *lessonPage) SetKeys(k KeyMap) {
	p.vp.KeyMap.PageDown, p.vp.KeyMap.PageUp = k.PageDown, k.PageUp
}

// SetSize is the page's room: the lesson pane's inside.
func (p *lessonPage) SetSize(w, h int) {
	p.vp.SetWidth(max(w, 1))
	p.vp.SetHeight(max(h, 1))
}

// Bindings are the page's own keys.
func (p lessonPage) Bindings() []key.Binding {
	return []key.Binding{p.vp.KeyMap.PageDown, p.vp.KeyMap.PageUp}
}

// Width is the width the parts are drawn for.
func (p lessonPage) Width() int { return p.vp.Width() }

// Built is the content as last set, to redraw one part of it.
func (p lessonPage) Built() builtLesson { return p.built }

// Set puts the drawn content in the page: where each step card starts and
// ends, and the reading place kept when the daemon's banner came or went.
func (p *lessonPage) Set(b builtLesson) {
	p.stepLines, p.stepEnds = p.stepLines[:0], p.stepEnds[:0]
	lines, banner, first := 0, 0, 0
	if b.banner {
		lines = strings.Count(b.parts[0], "\n") + 1
		banner, first = lines, 1
	}
	for i, step := range b.steps {
		if step {
			p.stepLines = append(p.stepLines, lines+1)
		}
		lines += strings.Count(b.parts[first+i], "\n") + 1
		if step {
			p.stepEnds = append(p.stepEnds, lines)
		}
	}
	y := p.vp.YOffset()
	if y > 0 && p.bannerLines != banner && p.bannerLesson == b.lesson {
		// The daemon's banner came or went above: what the learner was
		// reading stays where it was.
		y = max(y+banner-p.bannerLines, 0)
	}
	old, oldStarts := p.built, p.partStarts
	p.built = b
	p.bannerLines, p.bannerLesson = banner, b.lesson
	all := make([]string, 0, lines)
	p.partStarts = make([]int, 0, len(b.parts))
	for _, part := range b.parts {
		p.partStarts = append(p.partStarts, len(all))
		all = append(all, strings.Split(part, "\n")...)
	}
	if y > 0 && old.lesson == b.lesson && old.width != b.width && old.banner == b.banner && len(oldStarts) == len(p.partStarts) {
		// A resize wrapped every part anew: the part at the top of the
		// window stays at the top, as far into it as the learner had read.
		y = movedPlace(y, oldStarts, len(p.lines), p.partStarts, len(all))
	}
	p.lines = all
	// The viewport only scrolls (its window is drawn from lines, View): it
	// is given as many blank lines, not to measure the width of every line
	// of the page at each picture of a pull (no sideways scrolling here).
	if len(p.blank) < len(all) {
		p.blank = make([]string, len(all)+len(all)/2)
	}
	p.vp.SetContentLines(p.blank[:len(all):len(all)])
	p.vp.SetYOffset(y)
}

// movedPlace is line y of a page whose parts started at from (total lines
// in all) found again in the same parts starting at to (total lines): the
// same part, the same share of it read.
func movedPlace(y int, from []int, fromTotal int, to []int, toTotal int) int {
	i := 0
	for i+1 < len(from) && from[i+1] <= y {
		i++
	}
	end, newEnd := fromTotal, toTotal
	if i+1 < len(from) {
		end, newEnd = from[i+1], to[i+1]
	}
	into, oldLen, newLen := y-from[i], max(end-from[i], 1), newEnd-to[i]
	return to[i] + min(into*newLen/oldLen, max(newLen-1, 0))
}

// Top scrolls to the start (a lesson opened).
func (p *lessonPage) Top() { p.vp.GotoTop() }

// ScrollToStep brings step i's card into view if it is not.
func (p *lessonPage) ScrollToStep(i int) {
	if i < len(p.stepLines) {
		line := p.stepLines[i]
		if line < p.vp.YOffset() || line >= p.vp.YOffset()+p.vp.Height()-4 {
			p.vp.SetYOffset(max(line-2, 0))
		}
	}
}

// RevealStep scrolls, when step i has finished, so that what it printed is
// in view: down to the end of its card, never past its first line.
func (p *lessonPage) RevealStep(i int) {
	if i >= len(p.stepEnds) || i >= len(p.stepLines) {
		return
	}
	start, end := p.stepLines[i], p.stepEnds[i]
	if end > p.vp.YOffset()+p.vp.Height() {
		p.vp.SetYOffset(max(min(end-p.vp.Height(), start-1), 0))
	}
}

// Update scrolls with the keys (↑/↓, the page keys).
func (p lessonPage) Update(msg tea.Msg) (lessonPage, tea.Cmd) {
	var cmd tea.Cmd
	p.vp, cmd = p.vp.Update(msg)
	return p, cmd
}

// Lines are the window of the page in view, its height at most: the page's
// own lines, not the viewport's View, which would pad and cut them again.
func (p lessonPage) Lines() []string {
	y := min(p.vp.YOffset(), len(p.lines))
	return p.lines[y:min(y+p.vp.Height(), len(p.lines))]
}

// View is the window of the page in view.
func (p lessonPage) View() string { return strings.Join(p.Lines(), "\n") }
