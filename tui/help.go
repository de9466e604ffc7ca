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
	open     bool
	page     int
	sections []helpSection
	common
	width, height int
}

// helpSection is a heading and its keys ("Here", "Layers panel",
// "Everywhere").
type helpSection struct {
	title string
	keys  []key.Binding
}

// Open shows the help for these sections of keys, from its first page.
func (h helpScreen) Open(sections ...helpSection) helpScreen {
	h.open, h.page, h.sections = true, 0, sections
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
// under its section's heading, flowed into columns each as wide as its
// widest line (a section starts a column when it fits in one whole), as
// many columns to a page as the width holds, paged (pgdn/pgup) when they do
// not all fit.
func (h helpScreen) View() string {
	t, st := h.t, h.st
	width, height := h.width, h.height
	kw := 0
	for _, sec := range h.sections {
		for _, b := range sec.keys {
			kw = max(kw, lipgloss.Width(b.Help().Key))
		}
	}
	entry := func(b key.Binding) string {
		h := b.Help()
		return st.Key.Render(h.Key+strings.Repeat(" ", kw-lipgloss.Width(h.Key))) + "  " + h.Desc
	}
	rows := max(height-2, 1) // a blank line above, the page line below
	var columns [][]string
	var col []string
	for _, sec := range h.sections {
		items := []string{st.Bold.Render(sec.title)}
		for _, b := range sec.keys {
			items = append(items, entry(b))
		}
		gap := 0
		if len(col) > 0 {
			gap = 1
		}
		if len(col)+gap+len(items) > rows && len(col) > 0 && len(items) <= rows {
			columns, col, gap = append(columns, col), nil, 0
		}
		if gap > 0 {
			col = append(col, "")
		}
		for _, it := range items {
			if len(col) == rows {
				columns, col = append(columns, col), nil
			}
			col = append(col, it)
		}
	}
	if len(col) > 0 {
		columns = append(columns, col)
	}
	// Pages of whole columns, as many as the width holds (one at least).
	const sep = 3
	widths := make([]int, len(columns))
	for i, c := range columns {
		for _, l := range c {
			widths[i] = max(widths[i], lipgloss.Width(l))
		}
		widths[i] = min(widths[i], width-2)
	}
	var pages [][]int
	for i := range columns {
		if n := len(pages); n > 0 {
			used := 0
			for _, j := range pages[n-1] {
				used += widths[j] + sep
			}
			if used+widths[i] <= width-2 {
				pages[n-1] = append(pages[n-1], i)
				continue
			}
		}
		pages = append(pages, []int{i})
	}
	page := min(h.page, max(len(pages)-1, 0))
	var rendered []string
	if len(pages) > 0 {
		for n, i := range pages[page] {
			c := columns[i]
			for k, l := range c {
				c[k] = ansi.Truncate(l, widths[i], "…")
			}
			w := widths[i]
			if n < len(pages[page])-1 {
				w += sep
			}
			rendered = append(rendered, lipgloss.NewStyle().Width(w).Render(strings.Join(c, "\n")))
		}
	}
	out := lipgloss.JoinHorizontal(lipgloss.Top, rendered...)
	lines := append([]string{""}, strings.Split(out, "\n")...)
	for len(lines) < height-1 {
		lines = append(lines, "")
	}
	foot := ""
	if len(pages) > 1 {
		foot = st.Dim.Render(tr(t.HelpPageFmt, page+1, len(pages)))
	}
	lines = append(lines[:min(len(lines), height-1)], foot)
	for i, l := range lines {
		lines[i] = ansi.Truncate(" "+l, width, "…")
	}
	return strings.Join(lines, "\n")
}
