package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are every colour and border layerlab draws with, built in one place
// from whether the background is dark, so nothing is coloured inline.
type Styles struct {
	Dark bool

	Header, HeaderDim, Footer lipgloss.Style
	Pane, PaneFocused         lipgloss.Style
	PaneTitle                 lipgloss.Style
	Card, CardSelected        lipgloss.Style
	CardTitle                 lipgloss.Style
	Command                   lipgloss.Style
	Dim, Bold, Key            lipgloss.Style
	OK, Warn, Fail, Running   lipgloss.Style
	New, Shared, Meta         lipgloss.Style
	Highlight                 lipgloss.Style
	ErrorBox, ErrorTitle      lipgloss.Style
	ExpectedBox               lipgloss.Style
	Banner, BannerTitle       lipgloss.Style
	ListItem, ListSelected    lipgloss.Style
	TabActive, TabInactive    lipgloss.Style
	BarFull, BarEmpty         color.Color
	LayerColors               []color.Color
}

// NewStyles builds the palette for a dark or light background.
func NewStyles(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	fg := ld(lipgloss.Color("#1a1a1a"), lipgloss.Color("#e8e8e8"))
	dim := ld(lipgloss.Color("#595959"), lipgloss.Color("#a0a0a0"))
	accent := ld(lipgloss.Color("#0b5cad"), lipgloss.Color("#6cb6ff"))
	green := ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#56d364"))
	yellow := ld(lipgloss.Color("#8a5a00"), lipgloss.Color("#e3b341"))
	red := ld(lipgloss.Color("#b3261e"), lipgloss.Color("#ff7b72"))
	magenta := ld(lipgloss.Color("#8e3aa8"), lipgloss.Color("#d2a8ff"))
	border := ld(lipgloss.Color("#8c8c8c"), lipgloss.Color("#6e7681"))

	s := Styles{Dark: dark}
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(fg)
	s.HeaderDim = lipgloss.NewStyle().Foreground(dim)
	s.Footer = lipgloss.NewStyle().Foreground(dim)
	s.Pane = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border)
	s.PaneFocused = s.Pane.BorderForeground(accent)
	s.PaneTitle = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Card = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(border).Padding(0, 1)
	s.CardSelected = s.Card.Border(lipgloss.ThickBorder()).BorderForeground(accent)
	s.CardTitle = lipgloss.NewStyle().Bold(true)
	s.Command = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Dim = lipgloss.NewStyle().Foreground(dim)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Key = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.OK = lipgloss.NewStyle().Foreground(green)
	s.Warn = lipgloss.NewStyle().Foreground(yellow)
	s.Fail = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Running = lipgloss.NewStyle().Foreground(accent)
	s.New = lipgloss.NewStyle().Foreground(green).Bold(true)
	s.Shared = lipgloss.NewStyle().Foreground(magenta)
	s.Meta = lipgloss.NewStyle().Foreground(dim).Italic(true)
	s.Highlight = lipgloss.NewStyle().Bold(true).Foreground(green)
	s.ErrorBox = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(red).Padding(0, 1)
	s.ErrorTitle = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.ExpectedBox = lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(yellow).Padding(0, 1)
	s.Banner = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).BorderForeground(yellow).Padding(0, 1)
	s.BannerTitle = lipgloss.NewStyle().Foreground(yellow).Bold(true)
	s.ListItem = lipgloss.NewStyle().PaddingLeft(2)
	s.ListSelected = lipgloss.NewStyle().PaddingLeft(0).Foreground(accent).Bold(true)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true)
	s.TabInactive = lipgloss.NewStyle().Foreground(dim)
	s.BarFull = accent
	s.BarEmpty = border
	s.LayerColors = []color.Color{
		ld(lipgloss.Color("#0b5cad"), lipgloss.Color("#6cb6ff")),
		ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#56d364")),
		ld(lipgloss.Color("#8e3aa8"), lipgloss.Color("#d2a8ff")),
		ld(lipgloss.Color("#8a5a00"), lipgloss.Color("#e3b341")),
		ld(lipgloss.Color("#0e7c86"), lipgloss.Color("#39c5cf")),
		ld(lipgloss.Color("#b3261e"), lipgloss.Color("#ff7b72")),
	}
	return s
}

// LayerColor gives the same layer the same colour wherever it is drawn.
func (s Styles) LayerColor(diffID string) color.Color {
	var h uint32
	for i := 0; i < len(diffID); i++ {
		h = h*31 + uint32(diffID[i])
	}
	return s.LayerColors[int(h%uint32(len(s.LayerColors)))]
}
