package tui

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// cellWidth is ansi.StringWidth(s), the cells s takes on screen, counted
// directly for what a frame is made of (printable ASCII, SGR and other
// escape sequences, the borders' box-drawing characters, blocks, braille
// spinners, "·" and "…"), which are one cell each and never join a cluster
// with a neighbour; any other character hands the whole string to
// ansi.StringWidth. Each frame measures every line it stacks or boxes.
func cellWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			n := escapeLen(s[i:])
			if n == 0 {
				return ansi.StringWidth(s)
			}
			i += n
			continue
		case c >= 0x20 && c < 0x7f:
			w++
			i++
			continue
		case c < 0x80:
			return ansi.StringWidth(s) // another control character
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !oneCell(r) {
			return ansi.StringWidth(s)
		}
		w++
		i += n
	}
	return w
}

// oneCell: r takes one cell and does not join its neighbours.
func oneCell(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements
		return true
	case r >= 0x2801 && r <= 0x28ff: // braille (the spinner), not the blank
		return true
	}
	switch r {
	case '·', '…', '■', '▒', '›', '•', '✓', '✗', '●':
		return true
	}
	return false
}

// escapeLen is the length of the CSI (ESC [ … final) or OSC (ESC ] … BEL or
// ESC \) sequence at the start of s, 0 for any other.
func escapeLen(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			switch c := s[j]; {
			case c >= 0x40 && c <= 0x7e:
				return j + 1
			case c < 0x20 || c > 0x3f:
				return 0
			}
		}
	case ']':
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
	}
	return 0
}
