package tui

import "github.com/charmbracelet/x/ansi"

// The screen made from the state: what each component is given to show,
// and the room each has.

// feed gives every component what it shows and draws with: the words,
// styles and keys (a new language or theme reaches them all here), the
// lessons, the stack in the panel, the names tab completes.
func (m *Model) feed() {
	c := common{t: m.t, st: m.st, keys: m.keys}
	m.list.common, m.helpScr.common, m.pane.common, m.confirm.common, m.cmd.common = c, c, c, c, c
	m.page.SetKeys(*m.keys)
	if m.editor != nil {
		m.editor.common = c
	}
	items := make([]listItem, len(m.opts.Lessons))
	for i, l := range m.opts.Lessons {
		done, all := m.lessonProgress(l)
		items[i] = listItem{title: l.Title, done: done, all: all}
	}
	var banner string
	if m.daemon.conn == connDown && m.daemon.connErr != nil && m.nav.screen == screenList && m.width > 0 {
		banner = m.banner(min(m.width-4, 96))
	}
	m.list.SetItems(items, banner)
	m.pane.SetStack(m.panelStack())
	m.cmd.SetNames(m.cmdNames())
}

// layout sizes every component from the window size (settle then draws).
func (m *Model) layout() {
	m.confirm.SetSize(m.width, maxConfirmLines) // first: the footer's height is the question's
	lw, bodyH := m.lessonPaneSize()
	m.page.SetSize(lw-2, bodyH-2)
	m.list.SetSize(m.width, m.height-1-m.footerLines()-m.stripLines()-m.cmdLines())
	if m.editor != nil {
		m.editor.SetSize(lw-2, bodyH-2)
	}
	m.look.help.SetWidth(m.width)
	// The prompts scroll sideways within the terminal, whatever is typed.
	m.cmd.SetSize(m.width, m.height)
	m.helpScr.SetSize(m.width, m.height-1-m.footerLines()-m.stripLines())
	m.pane.SetSize(m.panelWidth(), bodyH-3) // under the panel's title, in its box
	m.edit.input.SetWidth(max(lw-8-ansi.StringWidth(m.edit.input.Prompt), 1))
	// The visible window of the text is recomputed on a cursor move only.
	m.edit.input.SetCursor(m.edit.input.Position())
}

// lessonPaneSize is the outer size of the lesson pane.
func (m Model) lessonPaneSize() (w, h int) {
	h = m.height - 1 - m.footerLines() - m.stripLines() - m.cmdLines() // header, footer, daemon status, command line
	if m.width >= wideWidth {
		return m.width * 11 / 20, h
	}
	return m.width, h - 1 // tab bar
}

// cmdLines is how many rows the command line and its output take.
func (m Model) cmdLines() int { return m.cmd.Lines() }
