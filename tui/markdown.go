package tui

import (
	"regexp"
	"strings"

	"charm.land/glamour/v2"
)

// markdownCache renders each markdown part once per (lesson, part, width,
// style): a key press never renders markdown.
type markdownCache struct {
	style     string
	renderers map[int]*glamour.TermRenderer
	out       map[mdKey]string
}

type mdKey struct {
	lesson string
	part   int
	width  int
	style  string
}

func newMarkdownCache(style string) *markdownCache {
	return &markdownCache{style: style, renderers: map[int]*glamour.TermRenderer{}, out: map[mdKey]string{}}
}

func (c *markdownCache) render(lesson string, part int, md string, width int) string {
	k := mdKey{lesson, part, width, c.style}
	if s, ok := c.out[k]; ok {
		return s
	}
	r, ok := c.renderers[width]
	if !ok {
		var err error
		r, err = glamour.NewTermRenderer(glamour.WithStandardStyle(c.style), glamour.WithWordWrap(width))
		if err != nil {
			return md
		}
		c.renderers[width] = r
	}
	s, err := r.Render(md)
	if err != nil {
		s = md
	}
	s = strings.Trim(s, "\n")
	if c.style == "notty" {
		// Without colour Glamour leaves emphasis markers in: read aloud or
		// printed they are noise. The words stay; the asterisks go.
		s = emphasis.ReplaceAllString(strings.ReplaceAll(s, "**", ""), "$1")
	}
	c.out[k] = s
	return s
}

// emphasis is *word* or *a few words*, not a lone * (as in *.tmp).
var emphasis = regexp.MustCompile(`\*([^*\s](?:[^*]*[^*\s])?)\*`)
