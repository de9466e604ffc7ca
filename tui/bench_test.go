package tui

import (
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
