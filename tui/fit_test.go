package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
)

// TestTheNewLessonsFitTheScreen: lessons 8 to 11, at 100x30 and 80x24, in
// both languages, on the current engine's long version (the containerd
// store): the header keeps the engine and its ● whole (the title gives way),
// the footer keeps ? help and q quit (the keys before them give way, x
// shown), and no line is wider than the screen (found by a newcomer: the
// header, the footer and the panel cut off).
func TestTheNewLessonsFitTheScreen(t *testing.T) {
	t.Parallel()
	eng := docker.Engine{Version: "29.0.0-beta.24-library-import", APIVersion: "1.56", ContainerdStore: true}
	for _, lang := range []string{"en", "ko"} {
		for _, size := range [][2]int{{100, 30}, {80, 24}} {
			m := testModelIn(t, lang, size[0], size[1])
			m = update1(m, connectedMsg{engine: eng})
			for i := 7; i < 11; i++ {
				nm, _ := m.openLesson(i)
				m := nm.(Model)
				m.work.started = map[string]startedContainer{"layerlab-x": {lesson: m.lesson().ID}} // x on the footer
				m.settle()
				lines := strings.Split(viewText(m), "\n")
				head, foot := ansi.Strip(lines[0]), ansi.Strip(lines[len(lines)-1])
				if !strings.HasSuffix(strings.TrimSpace(head), m.t.Connected) || !strings.Contains(head, "API 1.56") {
					t.Errorf("%s %dx%d %s: the header cuts the engine: %q", lang, size[0], size[1], m.lesson().ID, head)
				}
				for _, k := range []string{m.keys.Help.Help().Desc, m.keys.Quit.Help().Desc, m.keys.Remove.Help().Desc} {
					if !strings.Contains(foot, k) {
						t.Errorf("%s %dx%d %s: the footer lacks %q: %q", lang, size[0], size[1], m.lesson().ID, k, foot)
					}
				}
				for n, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("%s %dx%d %s: line %d is %d wide: %q", lang, size[0], size[1], m.lesson().ID, n+1, w, ansi.Strip(l))
					}
				}
			}
		}
	}
}
