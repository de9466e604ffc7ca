// Package render draws what layerlab shows as text: the step cards and
// their parts (a pull's bars, a build's steps, a command's output, an
// exercise, an error explained), the docker CLI's tables, a Dockerfile
// explained, the lessons' markdown, in the theme's styles. The screen draws
// its cards with it, and so do the front ends without a screen (plain mode,
// layerlab explain, the classroom's second session): the same words, the
// same cards. It holds no state of a screen and runs nothing.
package render

import (
	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/lessons/i18n"
)

func tr(format string, a ...any) string { return i18n.Tr(format, a...) }

// wrapKeep renders s in a wrapping style, a Korean particle kept on the
// line of the word before it.
func wrapKeep(wrap lipgloss.Style, s string) string {
	return i18n.Unmark(wrap.Render(i18n.KeepParticles(s)))
}
