package render

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestCardBoxAsLipgloss: a card's box drawn directly is lipgloss's, byte for
// byte, for lines that fit (styled or not, empty, exactly as wide as the
// box, a part of several lines, wide characters); a line too wide is
// wrapped by lipgloss as before.
func TestCardBoxAsLipgloss(t *testing.T) {
	t.Parallel()
	dark, plain := NewStyles(true), NewPlainStyles()
	for _, st := range []*Styles{&dark, &plain} {
		for _, width := range []int{14, 40, 57} {
			inner := width - st.Card.GetHorizontalFrameSize()
			cases := [][]string{
				{"Step 1 · pull", "$ docker pull busybox", "enter run        not run"},
				{st.CardTitle.Render("Step 2"), "", st.Dim.Render("a line\nand another"), strings.Repeat("x", inner)},
				{"레이어 " + st.OK.Render("완료"), strings.Repeat("界", inner/2)},
				{strings.Repeat("too wide ", width)},
			}
			for _, box := range []string{"card", "selected"} {
				b := st.Card
				if box == "selected" {
					b = st.CardSelected
				}
				for i, parts := range cases {
					want := b.Width(width).Render(strings.Join(parts, "\n"))
					got := cardBox(b, parts, width)
					if got != want {
						t.Errorf("%s, width %d, case %d:\n%s\nwant\n%s\n(%q / %q)", box, width, i, ansi.Strip(got), ansi.Strip(want), got, want)
					}
				}
			}
		}
	}
}
