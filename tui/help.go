package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpScreen is the help, a component: opened with the keys of the screen
// that has the focus and those that work everywhere (the bindings
// themselves), it takes the screen beneath it whole, pages when it must, and
// closes with esc or ?.
type helpScreen struct {
	open             bool
	page             int
	here, everywhere []key.Binding
	common
	width, height int
}

// Open shows the help for these keys, from its first page.
func (h helpScreen) Open(here, everywhere []key.Binding) helpScreen {
	h.open, h.page, h.here, h.everywhere = true, 0, here, everywhere
	return h
}

// SetSize is the room the help has.
func (h *helpScreen) SetSize(w, height int) { h.width, h.height = w, height }

// Bindings are the help's own keys.
func (h helpScreen) Bindings() []key.Binding {
	return []key.Binding{h.keys.CloseHelp, h.keys.PageDown, h.keys.PageUp}
}

// Update takes a key while the help is open: it closes it or turns a page;
// anything else does nothing beneath it.
func (h helpScreen) Update(msg tea.Msg) (helpScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return h, nil
	}
	switch {
	case key.Matches(k, h.keys.CloseHelp):
		h.open = false
	case key.Matches(k, h.keys.PageDown), key.Matches(k, h.keys.Down):
		h.page++
	case key.Matches(k, h.keys.PageUp), key.Matches(k, h.keys.Up):
		h.page = max(h.page-1, 0)
	}
	return h, nil
}

// View is every key it was opened with, one per line with what it does,
// flowed into as many columns as the width holds, and paged (pgdn/pgup)
// when even that does not fit the height.
func (h helpScreen) View() string {
	t, st := h.t, h.st
	width, height, here, everywhere := h.width, h.height, h.here, h.everywhere
	kw := 0
	for _, b := range append(here, everywhere...) {
		kw = max(kw, lipgloss.Width(b.Help().Key))
	}
	entry := func(b key.Binding) string {
		h := b.Help()
		return st.Key.Render(h.Key+strings.Repeat(" ", kw-lipgloss.Width(h.Key))) + "  " + h.Desc
	}
	items := []string{st.Bold.Render(t.HelpHere)}
	for _, b := range here {
		items = append(items, entry(b))
	}
	items = append(items, "", st.Bold.Render(t.HelpEverywhere))
	for _, b := range everywhere {
		items = append(items, entry(b))
	}
	colW := 0
	for _, it := range items {
		colW = max(colW, lipgloss.Width(it)+3)
	}
	colW = min(colW, width-2)
	rows := max(height-2, 1) // a blank line above, the page line below
	cols := max((width-2)/max(colW, 1), 1)
	per := rows * cols
	pages := (len(items) + per - 1) / per
	page := min(h.page, pages-1)
	chunk := items[page*per : min(len(items), (page+1)*per)]
	var columns []string
	for c := 0; c*rows < len(chunk); c++ {
		col := chunk[c*rows : min(len(chunk), (c+1)*rows)]
		for i, l := range col {
			col[i] = ansi.Truncate(l, colW, "…")
		}
		columns = append(columns, lipgloss.NewStyle().Width(colW).Render(strings.Join(col, "\n")))
	}
	out := lipgloss.JoinHorizontal(lipgloss.Top, columns...)
	lines := append([]string{""}, strings.Split(out, "\n")...)
	for len(lines) < height-1 {
		lines = append(lines, "")
	}
	foot := ""
	if pages > 1 {
		foot = st.Dim.Render(tr(t.HelpPageFmt, page+1, pages))
	}
	lines = append(lines[:min(len(lines), height-1)], foot)
	for i, l := range lines {
		lines[i] = ansi.Truncate(" "+l, width, "…")
	}
	return strings.Join(lines, "\n")
}
