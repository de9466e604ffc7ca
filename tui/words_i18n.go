package tui

import "github.com/layerlab/layerlab/lessons/i18n"

// tr formats one of the strings tables' entries (i18n.Tr).
func tr(format string, a ...any) string { return i18n.Tr(format, a...) }
