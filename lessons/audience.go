package lessons

import (
	"regexp"
	"strings"
)

// A lesson's markdown can speak to the screen and to a handout differently:
//
//	<!-- screen -->Press `enter` to pull it.<!-- /screen -->
//	<!-- plain: In your terminal: `docker pull busybox`. -->
//
// The screen shows what is between the screen markers and not the plain
// comment; plain mode (a handout, a screen reader, a log) shows the plain
// comment's text instead. Markdown renders a comment as nothing, so a
// renderer that knows neither shows the screen's words.

var (
	screenOnly = regexp.MustCompile(`(?s)<!-- screen -->(.*?)<!-- /screen -->`)
	plainOnly  = regexp.MustCompile(`(?s)<!-- plain: (.*?)\s*-->`)
)

// ForScreen is md as the terminal app shows it.
func ForScreen(md string) string {
	md = screenOnly.ReplaceAllString(md, "$1")
	return tidy(plainOnly.ReplaceAllString(md, ""))
}

// ForPlain is md as a handout shows it: what the screen's keys and panels
// do is said as what to type.
func ForPlain(md string) string {
	md = screenOnly.ReplaceAllString(md, "")
	return tidy(plainOnly.ReplaceAllString(md, "$1"))
}

// tidy drops the spaces a removed stretch leaves at a line's end.
func tidy(md string) string {
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
