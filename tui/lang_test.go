package tui

import (
	"maps"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/tui/render"
)

// views are the screens of every kind, in one language, at one size.
func views(t *testing.T, lang string, w, h int) map[string]string {
	return viewsOf(t, scenes(t, lang, w, h), lang, w, h)
}

// scenes are the models views shows, each reached at a size that draws it
// (below the minimum no key acts: there they are reached at the minimum).
func scenes(t *testing.T, lang string, w, h int) map[string]Model {
	bw, bh := max(w, MinWidth), max(h, MinHeight)
	return map[string]Model{
		"list":   update1(testModelIn(t, lang, w, h), connectedMsg{engine: testEngine}),
		"pull":   pulledModel(t, lang, bw, bh),
		"commit": committed(t, commitModel(t, lang, bw, bh)),
		"rmi":    removedDemo(t, rmiModel(t, lang, bw, bh)),
		"editor": editorModel(t, lang, bw, bh),
		"build":  builtModel(t, lang, bw, bh, 5),
	}
}

// viewsOf shows the scenes at w x h (the list as it is, the others resized
// to it), and, where the layers panel is a tab, with tab pressed.
func viewsOf(t *testing.T, ms map[string]Model, lang string, w, h int) map[string]string {
	out := map[string]string{}
	for name, m := range ms {
		if name == "list" {
			out[name] = viewText(m)
			continue
		}
		m = update1(m, tea.WindowSizeMsg{Width: w, Height: h})
		out[name] = viewText(m)
		if w < wideWidth {
			out[name+"+tab"] = viewText(update1(m, press("tab")))
		}
	}
	return out
}

func TestKoreanGolden(t *testing.T) {
	t.Parallel()
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
// to 200 columns (every one of the usual terminals, 78 to 102, every third
// elsewhere), no line of any screen is wider than the terminal (in cells: a
// Hangul syllable is two), nor any line of the lesson's page, wherever it is
// scrolled to.
//
// A screen is rebuilt from the model's state at every size, so the scenes
// are built once a language and resized to each width, as a learner resizes
// their terminal: built at 80 columns (below the minimum width: at the
// minimum), and built afresh at the widths where the layout changes. A
// scene built at a width and one resized to it differ only in where the
// page is scrolled (compared once at every width from 60 to 200, in both
// languages, from scenes built at 80 and at 120: the same screens, with tab
// too, once both pages are scrolled to the top, and the same page lines but
// under the editor, which hides the page), and every line of the page is
// checked, wherever it is scrolled. Building every
// scene anew at every width took ~30 s.
func TestNoLineWiderThanTheTerminal(t *testing.T) {
	t.Parallel()
	const h = 30
	for _, lang := range []string{"en", "ko"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			narrow, built := scenes(t, lang, MinWidth, h), scenes(t, lang, 80, h)
			for w := 40; w <= 200; w += map[bool]int{true: 1, false: 3}[w >= 78 && w <= 102] {
				ms := maps.Clone(built)
				if w < MinWidth {
					ms = maps.Clone(narrow)
				}
				ms["list"] = update1(testModelIn(t, lang, w, h), connectedMsg{engine: testEngine})
				checkWidths(t, lang, w, h, ms)
			}
			for _, w := range []int{MinWidth, wideWidth - 1, wideWidth, 200} {
				checkWidths(t, lang, w, h, scenes(t, lang, w, h))
			}
		})
	}
}

// checkWidths fails the test for every line of the scenes' screens at w x h
// wider than w, and every line of their lesson pages wider than the page.
func checkWidths(t *testing.T, lang string, w, h int, ms map[string]Model) {
	t.Helper()
	for name, v := range viewsOf(t, ms, lang, w, h) {
		for i, line := range strings.Split(v, "\n") {
			if lw := lipgloss.Width(line); lw > w {
				t.Errorf("%s %s at %d columns: line %d is %d wide: %q", lang, name, w, i+1, lw, line)
			}
		}
	}
	if w < MinWidth {
		return // no page: the screen asks for a bigger terminal
	}
	for name, m := range ms {
		m = update1(m, tea.WindowSizeMsg{Width: w, Height: h})
		if m.editor != nil {
			// The editor hides the page, which is made again when it
			// closes: the page as it shows then.
			m = update1(m, press("esc"))
		}
		pw := m.page.Width()
		for i, line := range m.page.lines {
			if lw := lipgloss.Width(line); lw > pw {
				t.Errorf("%s %s at %d columns: page line %d is %d wide, the page %d: %q", lang, name, w, i+1, lw, pw, line)
			}
		}
	}
}

func TestLanguageKeySwitchesAndKeepsThePlace(t *testing.T) {
	t.Parallel()
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

// TestNoLessonLineStartsWithAParticle: in every Korean lesson, at the widths
// of 80x24, 100x30 and a narrow pane, no line of its prose starts with a
// particle torn from the word before it ("은 docker pull…" under "`docker
// pull python`"), also where the source breaks its line after the particle.
func TestNoLessonLineStartsWithAParticle(t *testing.T) {
	t.Parallel()
	byLang, err := builtinByLang()
	if err != nil {
		t.Fatal(err)
	}
	torn := regexp.MustCompile(`^(은|는|을|를|으로|로|와|과|에서|의)[ \x{a0}.,:;!?)]`)
	md := render.NewMarkdown("notty")
	for _, l := range byLang["ko"] {
		for i, p := range l.Parts {
			if p.Markdown == "" {
				continue
			}
			for _, w := range []int{40, 49, 76} {
				for _, line := range strings.Split(ansi.Strip(md.Render(l.ID, i, p.Markdown, w)), "\n") {
					if s := strings.TrimLeft(line, " •\u00a0"); torn.MatchString(s) {
						t.Errorf("%s, part %d, width %d: a line starts with a particle: %q", l.ID, i, w, line)
					}
				}
			}
		}
	}
}
