package tui

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// TestCardMemoAsDrawn: the lesson's page with the cards of steps not run
// kept (cardMemo) is the page drawn card by card, in every lesson, both
// languages, two widths, in the classroom too, as each step is selected in
// turn (and back, so kept cards are used), with notes, an exercise's
// reason and hints shown on the way back.
func TestCardMemoAsDrawn(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		for _, size := range [][2]int{{120, 40}, {80, 24}} {
			kept, drawn := testModelIn(t, lang, size[0], size[1]), testModelIn(t, lang, size[0], size[1])
			drawn.look.cards = nil
			for i, l := range kept.opts.Lessons {
				nk, _ := kept.openLesson(i)
				nd, _ := drawn.openLesson(i)
				kept, drawn = nk.(Model), nd.(Model)
				order := []int{}
				for j := range l.Steps {
					order = append(order, j)
				}
				for j := len(l.Steps) - 1; j >= 0; j-- {
					order = append(order, j)
				}
				for n, j := range order {
					if n == len(l.Steps) {
						// Halfway: what an idle card shows changes in both.
						for _, st := range l.Steps {
							for _, m := range []Model{kept, drawn} {
								s := m.work.eng.State(engine.StepKey{Lesson: l.ID, Index: st.Index})
								if st.Kind == lessons.KindCheck {
									s.Hints, s.Why = 1, engine.Why{Code: engine.WhyImageMissing, Args: []string{"x:1"}}
								} else if st.Index%2 == 0 {
									s.Note = engine.NoteNeedsDaemon
								}
							}
						}
					}
					kept.selectStep(j)
					drawn.selectStep(j)
					kept.settle()
					drawn.settle()
					if a, b := strings.Join(kept.page.lines, "\n"), strings.Join(drawn.page.lines, "\n"); a != b {
						t.Fatalf("%s %v lesson %s step %d: the page with kept cards differs:\n%s\n---- drawn:\n%s", lang, size, l.ID, j, a, b)
					}
				}
			}
		}
	}
}
