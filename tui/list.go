package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// lessonList is the list of lessons, a component: a cursor that walks it
// (wrapping round), and enter to open the lesson under it.
type lessonList struct {
	cursor        int
	keys          KeyMap
	width, height int
}

// SetSize is the room the list has.
func (l *lessonList) SetSize(w, h int) { l.width, l.height = w, h }

// Bindings are the list's keys.
func (l lessonList) Bindings() []key.Binding {
	return []key.Binding{l.keys.Up, l.keys.Down, l.keys.Open}
}

// Update moves the cursor over n lessons; open says enter chose the lesson
// under it.
func (l lessonList) Update(msg tea.KeyPressMsg, n int) (_ lessonList, open bool) {
	switch {
	case key.Matches(msg, l.keys.Up):
		l.cursor = (l.cursor - 1 + n) % max(n, 1)
	case key.Matches(msg, l.keys.Down):
		l.cursor = (l.cursor + 1) % max(n, 1)
	case key.Matches(msg, l.keys.Open):
		return l, n > 0
	}
	return l, false
}

// View is the introduction, each lesson with how many of its steps are
// done (progress), and below them banner (what is wrong with the daemon).
func (l lessonList) View(ls []*lessons.Lesson, progress func(*lessons.Lesson) (done, all int), banner string, t *i18n.Strings, st *Styles) string {
	var b []string
	wrap := lipgloss.NewStyle().Width(l.width - 4)
	b = append(b, "", wrap.Render(t.ListIntro), "")
	for i, ls := range ls {
		done, all := progress(ls)
		mark := st.Dim.Render(t.NotDone)
		if all > 0 && done == all {
			mark = st.OK.Render(t.Done)
		}
		line := fmt.Sprintf("%d. %s  %s %s", i+1, ls.Title, mark, st.Dim.Render(tr(t.StepsCount, done, all)))
		if i == l.cursor {
			b = append(b, st.ListSelected.Render("› "+line))
		} else {
			b = append(b, st.ListItem.Render(line))
		}
	}
	if banner != "" {
		b = append(b, "", banner)
	}
	out := lipgloss.NewStyle().PaddingLeft(2).Render(strings.Join(b, "\n"))
	return fitHeight(out, l.height)
}
