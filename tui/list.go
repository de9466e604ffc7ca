package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// lessonList is the list of lessons, a component: a cursor that walks it
// (wrapping round), and enter to open the lesson under it.
type lessonList struct {
	common
	cursor        int
	width, height int
	// items are the lessons with their steps done; banner what is wrong
	// with the daemon, drawn below them (the owner's to give: SetItems).
	items  []listItem
	banner string
	// chosen: the last key opened the lesson under the cursor.
	chosen bool
}

// listItem is a lesson in the list: its title, and how many of its steps
// are done.
type listItem struct {
	title     string
	done, all int
}

// SetItems gives the list its lessons and the daemon's banner.
func (l *lessonList) SetItems(items []listItem, banner string) {
	l.items, l.banner = items, banner
	l.cursor = min(l.cursor, max(len(items)-1, 0))
}

// Chosen is the lesson the last key opened (enter), if it opened one.
func (l lessonList) Chosen() (int, bool) { return l.cursor, l.chosen }

// SetSize is the room the list has.
func (l *lessonList) SetSize(w, h int) { l.width, l.height = w, h }

// Bindings are the list's keys.
func (l lessonList) Bindings() []key.Binding {
	return []key.Binding{l.keys.Up, l.keys.Down, l.keys.Open}
}

// Update moves the cursor over the lessons (wrapping round); enter chooses
// the lesson under it (Chosen).
func (l lessonList) Update(msg tea.Msg) (lessonList, tea.Cmd) {
	l.chosen = false
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return l, nil
	}
	n := len(l.items)
	switch {
	case key.Matches(k, l.keys.Up):
		l.cursor = (l.cursor - 1 + n) % max(n, 1)
	case key.Matches(k, l.keys.Down):
		l.cursor = (l.cursor + 1) % max(n, 1)
	case key.Matches(k, l.keys.Open):
		l.chosen = n > 0
	}
	return l, nil
}

// View is the introduction, each lesson with how many of its steps are
// done, and below them the banner (what is wrong with the daemon).
func (l lessonList) View() string {
	t, st := l.t, l.st
	var b []string
	wrap := lipgloss.NewStyle().Width(l.width - 4)
	b = append(b, "", wrap.Render(t.ListIntro), "")
	for i, it := range l.items {
		done, all := it.done, it.all
		mark := st.Dim.Render(t.NotDone)
		if all > 0 && done == all {
			mark = st.OK.Render(t.Done)
		}
		// Numbers right-aligned, so that titles start in one column past 9.
		num, rest := fmt.Sprintf("%*d. ", len(fmt.Sprint(len(l.items))), i+1), "  "+mark+" "+st.Dim.Render(tr(t.StepsCount, done, all))
		// A long title is cut to the width (padding and "› " before it), its count kept.
		title := ansi.Truncate(it.title, max(l.width-4-lipgloss.Width(num)-lipgloss.Width(rest), 8), "…")
		line := num + title + rest
		if i == l.cursor {
			b = append(b, st.ListSelected.Render("› "+line))
		} else {
			b = append(b, st.ListItem.Render(line))
		}
	}
	if l.banner != "" {
		b = append(b, "", l.banner)
	}
	out := lipgloss.NewStyle().PaddingLeft(2).Render(strings.Join(b, "\n"))
	return fitHeight(out, l.height)
}
