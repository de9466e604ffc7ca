package render

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// RenderExplanation draws an Explanation as a box of the given outer width.
func RenderExplanation(x i18n.Explanation, t *i18n.Strings, st *Styles, width int, box lipgloss.Style) string {
	inner := max(width-box.GetHorizontalFrameSize(), 10)
	wrap := lipgloss.NewStyle().Width(inner)
	mark := "✗ "
	if x.Expected {
		mark = "● " // what the lesson meant to happen: not a failure
	}
	lines := []string{st.ErrorTitle.Render(mark + x.Title), wrapKeep(wrap, x.Plain)}
	if x.Docker != "" {
		lines = append(lines, wrapKeep(wrap, st.Dim.Render(x.Said(t)+x.Docker)))
	}
	for _, td := range x.Todo {
		lines = append(lines, wrapKeep(wrap, "› "+td))
	}
	return box.Width(width).Render(strings.Join(lines, "\n"))
}
