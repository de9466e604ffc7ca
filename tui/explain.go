package tui

import (
	"github.com/charmbracelet/x/term"
)

// TerminalWidth is the width of f's terminal, or fallback when it is none.
func TerminalWidth(fd uintptr, fallback int) int {
	if w, _, err := term.GetSize(fd); err == nil && w > 0 {
		return w
	}
	return fallback
}
