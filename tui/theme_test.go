package tui

import (
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/layerlab/layerlab/tui/render"
)

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	ch := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestPaletteContrast: every text colour reads at WCAG AA (4.5:1) and every
// border at 3:1, on the usual backgrounds of dark and light terminals.
func TestPaletteContrast(t *testing.T) {
	t.Parallel()
	backgrounds := map[bool][]string{true: {"#000000", "#1e1e1e", "#282c34"}, false: {"#ffffff", "#f5f5f5", "#fdf6e3"}}
	for dark, bgs := range backgrounds {
		p := render.PaletteFor(dark)
		text := map[string]color.Color{"fg": p.Fg, "dim": p.Dim, "accent": p.Accent, "green": p.Green, "yellow": p.Yellow, "red": p.Red, "magenta": p.Magenta}
		for i, c := range p.Layers {
			text["layer"+itoa(i+1)] = c
		}
		for _, bg := range bgs {
			b := lipgloss.Color(bg)
			for name, c := range text {
				if r := contrast(c, b); r < 4.5 {
					t.Errorf("dark=%v %s on %s: %.2f:1, want 4.5:1", dark, name, bg, r)
				}
			}
			if r := contrast(p.Border, b); r < 3 {
				t.Errorf("dark=%v border on %s: %.2f:1, want 3:1", dark, bg, r)
			}
		}
	}
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;:]*(38|48)[;:]`)

func TestNoColorKeepsStructure(t *testing.T) {
	t.Parallel()
	cli := testModel(t, 80, 24).opts.Client
	m := New(Options{Client: cli, Lessons: builtin(t), NoColor: true, Now: func() time.Time { return fixedNow }})
	m = update1(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = update1(m, connectedMsg{engine: testEngine})
	raw := m.View().Content
	if colourSGR.MatchString(raw) {
		t.Errorf("colours under NO_COLOR: %q", raw[:min(len(raw), 400)])
	}
	if !strings.Contains(raw, "\x1b[1m") && !strings.Contains(raw, "\x1b[1;") {
		t.Error("no bold left: structure lost")
	}
	golden(t, ansiVisible(raw))
}

func TestLightAndDarkGoldens(t *testing.T) {
	t.Parallel()
	for _, dark := range []bool{true, false} {
		name := map[bool]string{true: "dark", false: "light"}[dark]
		t.Run(name, func(t *testing.T) {
			m := testModel(t, 80, 24)
			m.applyTheme(dark)
			m = update1(m, connectedMsg{engine: testEngine})
			golden(t, ansiVisible(m.View().Content))
		})
	}
}

func TestBackgroundAnswerSwitchesTheTheme(t *testing.T) {
	t.Parallel()
	m := testModel(t, 80, 24)
	m.opts.DetectTheme = true
	if !m.opts.Dark {
		t.Fatal("dark is the guess")
	}
	m = update1(m, tea.BackgroundColorMsg{Color: color.RGBA{R: 0xfa, G: 0xfa, B: 0xfa, A: 0xff}})
	if m.opts.Dark || m.st.Dark || m.look.md.Style() != "light" {
		t.Error("a light background did not switch to the light theme")
	}
	m.opts.DetectTheme = false // --theme dark
	m = update1(m, tea.BackgroundColorMsg{Color: color.RGBA{A: 0xff}})
	if m.opts.Dark {
		t.Error("an explicit --theme must not follow the terminal")
	}
}

// ansiVisible makes escape sequences readable in a golden file.
func ansiVisible(s string) string { return strings.ReplaceAll(s, "\x1b", "␛") }
