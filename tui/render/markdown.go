package render

import (
	"github.com/layerlab/layerlab/lessons/i18n"
	"regexp"
	"strings"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"
)

// Markdown renders each markdown part once per (lesson, part, width,
// style): a key press never renders markdown.
type Markdown struct {
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

// Style is the glamour style it renders in ("dark", "light", "notty").
func (c *Markdown) Style() string { return c.style }

// NewMarkdown renders in a glamour style.
func NewMarkdown(style string) *Markdown {
	return &Markdown{style: style, renderers: map[int]*glamour.TermRenderer{}, out: map[mdKey]string{}}
}

// Render is the markdown part of a lesson at a width, rendered once.
func (c *Markdown) Render(lesson string, part int, md string, width int) string {
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
	// A Korean particle stays on the line of the word before it (a no-break
	// space between them, drawn as a space; markdown makes some of its own,
	// so they stay).
	// A flag (-f) or a name with hyphens stays whole on its line.
	s, err := r.Render(i18n.KeepParticles(hyphen(md)))
	if err != nil {
		s = md
	}
	s = unhyphen(s)
	s = hangLists(strings.Trim(s, "\n"))
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

// itemStart is the start of a rendered list item: its margin and marker.
var itemStart = regexp.MustCompile(`^(\s*)(\d+\.|•)\s+`)

// hangLists reflows the list items Glamour drew: it keeps a lesson's source
// line breaks inside an item, and wraps the item's text at its left margin
// ("The" alone on a line, the next line under the number). Each item's text
// is joined and wrapped again under its first word, as a reader expects.
func hangLists(s string) string {
	lines := strings.Split(s, "\n")
	limit := 0
	for _, l := range lines {
		limit = max(limit, visibleWidth(l))
	}
	var out []string
	for i := 0; i < len(lines); i++ {
		plain := ansi.Strip(lines[i])
		m := itemStart.FindStringSubmatchIndex(plain)
		if m == nil {
			out = append(out, lines[i])
			continue
		}
		indent := ansi.StringWidth(plain[:m[1]])
		margin := ansi.StringWidth(plain[:m[3]])
		text := []string{ansi.TruncateLeft(trimRight(lines[i]), indent, "")}
		j := i + 1
		for ; j < len(lines); j++ {
			p := ansi.Strip(lines[j])
			lead := len(p) - len(strings.TrimLeft(p, " "))
			if strings.TrimSpace(p) == "" || itemStart.MatchString(p) || lead < margin {
				break
			}
			text = append(text, ansi.TruncateLeft(trimRight(lines[j]), lead, ""))
		}
		wrapped := strings.Split(ansi.Wrap(strings.Join(text, " "), max(limit-indent, 10), ""), "\n")
		head := ansi.Truncate(lines[i], indent, "")
		for k, w := range wrapped {
			if k == 0 {
				out = append(out, head+w)
			} else {
				out = append(out, strings.Repeat(" ", indent)+w)
			}
		}
		i = j - 1
	}
	return strings.Join(out, "\n")
}

// visibleWidth is a line's width on screen without its trailing spaces.
func visibleWidth(s string) int {
	return ansi.StringWidth(strings.TrimRight(ansi.Strip(s), " "))
}

// trimRight cuts a rendered line's trailing padding, keeping its styles.
func trimRight(s string) string { return ansi.Truncate(s, visibleWidth(s), "") }
