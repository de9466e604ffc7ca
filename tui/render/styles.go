package render

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
	// layerBlocks are "■" drawn in each of LayerColors, emptyBlock is "□":
	// drawn once, as the layers panel uses them a few hundred times a frame.
	layerBlocks []string
	emptyBlock  string
}

// Palette is the colours of one theme. Text colours meet WCAG AA (4.5:1)
// against the backgrounds they are made for, borders 3:1: a classroom
// projector washes colours out (TestPaletteContrast checks it).
type Palette struct {
	Fg, Dim, Accent, Green, Yellow, Red, Magenta, Border color.Color
	Layers                                               []color.Color
}

// PaletteFor is the palette for a dark or a light background.
func PaletteFor(dark bool) Palette {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkc string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkc)) }
	p := Palette{
		Fg: c("#1a1a1a", "#e8e8e8"), Dim: c("#595959", "#a0a0a0"), Accent: c("#0b5cad", "#6cb6ff"),
		Green: c("#1a7f37", "#56d364"), Yellow: c("#7a5000", "#e3b341"), Red: c("#b3261e", "#ff7b72"),
		Magenta: c("#8e3aa8", "#d2a8ff"), Border: c("#767676", "#6e7681"),
	}
	p.Layers = []color.Color{p.Accent, p.Green, p.Magenta, p.Yellow, c("#0e6e77", "#39c5cf"), p.Red}
	return p
}

// NewStyles builds the styles for a dark or light background.
func NewStyles(dark bool) Styles { return stylesFrom(dark, PaletteFor(dark)) }

// NewPlainStyles builds styles without any colour (NO_COLOR): structure
// stays, with bold, underline, italics, borders and symbols.
func NewPlainStyles() Styles {
	none := lipgloss.NoColor{}
	p := Palette{Fg: none, Dim: none, Accent: none, Green: none, Yellow: none, Red: none, Magenta: none, Border: none,
		Layers: []color.Color{none}}
	return stylesFrom(true, p)
}

func stylesFrom(dark bool, p Palette) Styles {
	fg, dim, accent, green, yellow, red, magenta, border := p.Fg, p.Dim, p.Accent, p.Green, p.Yellow, p.Red, p.Magenta, p.Border
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
	s.LayerColors = p.Layers
	for _, c := range p.Layers {
		s.layerBlocks = append(s.layerBlocks, lipgloss.NewStyle().Foreground(c).Render("■"))
	}
	s.emptyBlock = s.Dim.Render("□")
	return s
}

// LayerColor gives the same layer the same colour wherever it is drawn.
func (s *Styles) LayerColor(diffID string) color.Color {
	return s.LayerColors[layerHue(diffID, len(s.LayerColors))]
}

// EmptyBlock is "□" as the panel draws a layer an image does not hold.
func (s *Styles) EmptyBlock() string { return s.emptyBlock }

// LayerBlock is the layer's "■" in its colour.
func (s *Styles) LayerBlock(diffID string) string {
	if len(s.layerBlocks) != len(s.LayerColors) {
		return lipgloss.NewStyle().Foreground(s.LayerColor(diffID)).Render("■")
	}
	return s.layerBlocks[layerHue(diffID, len(s.layerBlocks))]
}

func layerHue(diffID string, n int) int {
	var h uint32
	for i := 0; i < len(diffID); i++ {
		h = h*31 + uint32(diffID[i])
	}
	return int(h % uint32(n))
}
