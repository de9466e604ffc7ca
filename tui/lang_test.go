package tui

import (
	tea "charm.land/bubbletea/v2"

	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/lessons/engine"
)

// views are the screens of every kind, in one language, at one size.
func views(t *testing.T, lang string, w, h int) map[string]string {
	out := map[string]string{}
	// Each screen is reached at a size that draws it (below the minimum no
	// key acts), then shown at w x h.
	bw, bh := max(w, MinWidth), max(h, MinHeight)
	add := func(name string, m Model) {
		m = update1(m, tea.WindowSizeMsg{Width: w, Height: h})
		out[name] = viewText(m)
		if w < wideWidth {
			out[name+"+tab"] = viewText(update1(m, press("tab")))
		}
	}
	list := testModelIn(t, lang, w, h)
	out["list"] = viewText(update1(list, connectedMsg{engine: testEngine}))
	add("pull", pulledModel(t, lang, bw, bh))
	add("commit", committed(t, commitModel(t, lang, bw, bh)))
	add("rmi", removedDemo(t, rmiModel(t, lang, bw, bh)))
	add("editor", editorModel(t, lang, bw, bh))
	add("build", builtModel(t, lang, bw, bh, 5))
	return out
}

func TestKoreanGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(sizeName(size), func(t *testing.T) {
			vs := views(t, "ko", size[0], size[1])
			var b strings.Builder
			for _, name := range []string{"list", "pull", "pull+tab", "commit", "rmi", "rmi+tab", "editor", "editor+tab", "build", "build+tab"} {
				if v, ok := vs[name]; ok {
					b.WriteString("=== " + name + "\n" + v + "\n")
				}
			}
			golden(t, b.String())
		})
	}
}

// TestNoLineWiderThanTheTerminal: in both languages, at every width from 40
// to 200 columns, no line of any screen is wider than the terminal (in cells:
// a Hangul syllable is two).
func TestNoLineWiderThanTheTerminal(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		// Every width of the usual terminals, then every third one: each
		// width renders all the markdown anew, so all 161 take ~30 s.
		for w := 40; w <= 200; w += map[bool]int{true: 1, false: 3}[w >= 78 && w <= 102] {
			for name, v := range views(t, lang, w, 30) {
				for i, line := range strings.Split(v, "\n") {
					if lw := lipgloss.Width(line); lw > w {
						t.Errorf("%s %s at %d columns: line %d is %d wide: %q", lang, name, w, i+1, lw, line)
					}
				}
			}
		}
	}
}

func TestLanguageKeySwitchesAndKeepsThePlace(t *testing.T) {
	m := rmiModel(t, "en", 120, 40) // step 11 selected
	m = removedDemo(t, m)
	before := m.work.eng.Steps[engine.StepKey{Lesson: "rmi", Index: 10}].Status
	m = update1(m, press("L"))
	if m.opts.Lang != "ko" || m.lesson().ID != "rmi" || m.work.eng.Selected["rmi"] != 10 {
		t.Fatalf("lang %s lesson %s step %d", m.opts.Lang, m.lesson().ID, m.work.eng.Selected["rmi"])
	}
	if m.work.eng.Steps[engine.StepKey{Lesson: "rmi", Index: 10}].Status != before {
		t.Error("the step's state was lost")
	}
	out := viewText(m)
	for _, want := range []string{"이미지 삭제", "지움 · rmi-demo:v1", "11단계 · 이제 정말 rmi-demo:v1 지우기"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	m = update1(m, press("L"))
	if m.opts.Lang != "en" || !strings.Contains(viewText(m), "Removing images") {
		t.Error("L does not switch back")
	}
}
