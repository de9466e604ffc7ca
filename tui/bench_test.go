package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
)

// BenchmarkFirstFrame: from building the model to the lesson list drawn, no daemon involved.
func BenchmarkFirstFrame(b *testing.B) {
	ls := builtin(b)
	cli, _ := docker.New(docker.Endpoint{Host: "unix:///var/run/docker.sock"})
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Client: cli, Lessons: ls, Dark: true})
		m = update1(m, tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = m.View()
	}
}

// BenchmarkLessonFirstRender: opening the pull lesson at a width never seen (markdown rendered).
func BenchmarkLessonFirstRender(b *testing.B) {
	ls := builtin(b)
	cli, _ := docker.New(docker.Endpoint{Host: "unix:///var/run/docker.sock"})
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Client: cli, Lessons: ls, Dark: true})
		m = update1(m, tea.WindowSizeMsg{Width: 100, Height: 30})
		m = update1(m, press("j"))
		m = update1(m, press("enter"))
		_ = m.View()
	}
}

// BenchmarkLessonKeyPress: a key press in an open lesson (markdown comes from the cache).
func BenchmarkLessonKeyPress(b *testing.B) {
	m := testModel(b, 100, 30)
	m = update1(m, press("j"))
	m = update1(m, press("enter"))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := "n"
		if i%2 == 1 {
			k = "p"
		}
		m = update1(m, press(k))
		_ = m.View()
	}
}

// BenchmarkEditorKeystroke: one character typed into a 100-line Dockerfile in
// the editor, analysis and the whole frame (editor + explanation pane) included.
func BenchmarkEditorKeystroke(b *testing.B) {
	m := testModel(b, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	for i, l := range m.opts.Lessons {
		if l.ID == "dockerfile" {
			nm, _ := m.openLesson(i)
			m = nm.(Model)
		}
	}
	src := "FROM busybox:latest\nENV APP=/app NAME=layerlab\n"
	for i := 0; strings.Count(src, "\n") < 99; i++ {
		src += fmt.Sprintf("RUN echo step %d > $APP/f%d\nENV V%d=${NAME}-%d\n", i, i, i, i)
	}
	src += "CMD [\"sh\"]\n"
	m = update1(m, workspaceMsg{lesson: "dockerfile", dir: b.TempDir(), files: map[string]string{"format/Dockerfile": src}})
	m.selectStep(1)
	m = update1(m, press("enter"))
	if m.editor == nil || m.editor.ta.LineCount() < 100 {
		b.Fatal("editor not open on 100 lines")
	}
	for range 50 {
		m = update1(m, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m = update1(m, tea.KeyPressMsg{Code: 'x', Text: "x"})
		} else {
			m = update1(m, tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
		_ = m.View()
	}
}
