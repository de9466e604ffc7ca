// Package render draws what layerlab shows as text: the step cards and
// their parts (a pull's bars, a build's steps, a command's output, an
// exercise, an error explained), the docker CLI's tables, a Dockerfile
// explained, the lessons' markdown, in the theme's styles. The screen draws
// its cards with it, and so do the front ends without a screen (plain mode,
// layerlab explain, the classroom's second session): the same words, the
// same cards. It holds no state of a screen and runs nothing.
package render

import (
	"regexp"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/lessons/i18n"
)

func tr(format string, a ...any) string { return i18n.Tr(format, a...) }

// wrapKeep renders s in a wrapping style, a Korean particle kept on the
// line of the word before it, and a word with a hyphen in it (a flag -f, a
// name layerlab-box-1) whole.
func wrapKeep(wrap lipgloss.Style, s string) string {
	return unhyphen(i18n.Unmark(wrap.Render(i18n.KeepParticles(hyphen(s)))))
}

// wrapPath is wrapKeep for a line that holds a path of the learner's
// machine (a bind mount's folder, the lesson's folder): a path too long for
// the line breaks after a "/", never inside a folder's name.
func wrapPath(wrap lipgloss.Style, s string) string {
	if w := wrap.GetWidth(); w > 0 {
		s = ansi.Wordwrap(i18n.KeepParticles(hyphen(s)), w, "/")
	}
	return unhyphen(i18n.Unmark(wrap.Render(s)))
}

// WrapKeep is wrapKeep for the screen's own lines (the footer's notice):
// names keep their hyphens, particles their words.
func WrapKeep(wrap lipgloss.Style, s string) string { return wrapKeep(wrap, s) }

// noBreakHyphen stands for a hyphen while text wraps: the wrappers break a
// line after every "-" (a flag "-f" became "-" and "f"), never after this
// one, and nothing else makes it.
const noBreakHyphen = "\u2011"

// hyphen marks the hyphens inside a word or before one (-f, --no-cache,
// layerlab-box-1), not markdown's own: a list's "- ", a rule "---".
func hyphen(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		body := strings.TrimLeft(l, " \t")
		if strings.Trim(body, "-*_ ") == "" || tableRule.MatchString(body) {
			continue // a rule, a table's header rule, or nothing
		}
		lead := l[:len(l)-len(body)]
		if strings.HasPrefix(body, "- ") {
			lead, body = lead+"- ", body[2:]
		}
		for range 2 { // "--x": the second hyphen's match starts at the first's end
			body = inWord.ReplaceAllString(body, noBreakHyphen+"$1")
		}
		lines[i] = lead + body
	}
	return strings.Join(lines, "\n")
}

// tableRule is the line under a markdown table's header: |---|:--:|.
var tableRule = regexp.MustCompile(`^\|?(\s*:?-+:?\s*\|)+\s*(:?-+:?\s*)?\|?\s*$`)

// inWord is a hyphen followed by a letter, a digit or another hyphen.
var inWord = regexp.MustCompile(`-([\p{L}\p{N}-])`)

func unhyphen(s string) string { return strings.ReplaceAll(s, noBreakHyphen, "-") }
