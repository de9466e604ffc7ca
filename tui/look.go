package tui

import (
	"math"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/progress"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// The look of the screen: the theme and the language, both switched live.

// applyTheme builds every style for a dark or light background (or none at
// all with NoColor), Glamour's included.
func (m *Model) applyTheme(dark bool) {
	o := *m.opts // models handed out before keep theirs
	o.Dark = dark
	m.opts = &o
	style := "dark"
	if !dark {
		style = "light"
	}
	st := render.NewStyles(dark)
	if m.opts.NoColor {
		style, st = "notty", render.NewPlainStyles()
	}
	m.st = &st
	if m.look.md == nil || m.look.md.Style() != style {
		m.look.md = render.NewMarkdown(style)
	}
	bar := []progress.Option{progress.WithoutPercentage(), progress.WithFillCharacters('█', '░')}
	if !m.opts.NoColor {
		bar = append(bar, progress.WithColors(m.st.BarFull))
	}
	m.look.bar = &progressBar{m: progress.New(bar...), drawn: map[[2]int]string{}}
	// The footer's keys in the palette's colours (bubbles' own greys are too
	// dark on a projector, and turn black on a 16-colour terminal).
	keyStyle, dimStyle := m.st.Key, m.st.Dim
	m.look.help.Styles = help.Styles{ShortKey: keyStyle, ShortDesc: dimStyle, ShortSeparator: dimStyle, Ellipsis: dimStyle,
		FullKey: keyStyle, FullDesc: dimStyle, FullSeparator: dimStyle}
	if m.opts.NoColor {
		m.look.help.Styles = help.Styles{}
	}
}

// switchLanguage shows the other language, keeping the learner's place: the
// same lesson, the same selected step, every step's state (lessons have the
// same ids and steps in every language).
func (m Model) switchLanguage() Model {
	next := i18n.Other(m.opts.Lang)
	ls, ok := m.opts.Languages[next]
	if !ok || len(ls) != len(m.opts.Lessons) {
		return m
	}
	o := *m.opts // models handed out before keep theirs
	o.Lang, o.Lessons, o.Strings = next, ls, i18n.For(next)
	if o.SecondSession != "" {
		o.Strings = o.Strings.InClassroom()
	}
	m.opts, m.t = &o, &o.Strings
	m.keys = ptr(DefaultKeyMap(*m.t))
	m.edit.input.Prompt = m.t.EditPrompt
	return m
}

// progressBar is the screen's progress bar, its pictures kept by width and
// filled cells: its colour is solid and it shows no percent, so nothing else
// changes them (a pull's bars are drawn again at every picture).
type progressBar struct {
	m     progress.Model
	drawn map[[2]int]string
}

// view is the bar at a fraction, width cells wide.
func (b *progressBar) view(frac float64, width int) string {
	fill := max(0, min(width, int(math.Round(float64(width)*frac)))) // as bubbles' progress fills
	k := [2]int{width, fill}
	if s, ok := b.drawn[k]; ok {
		return s
	}
	bar := b.m
	bar.SetWidth(width)
	s := bar.ViewAs(frac)
	if len(b.drawn) < 1024 {
		b.drawn[k] = s
	}
	return s
}
