package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// component is the one contract of the screen's parts (after soft-serve's
// common.Component): a part takes any message and gives itself back with a
// command (Update), draws itself into the room it was given (View, SetSize),
// and names its keys for the help (Bindings). What it needs from the rest of
// the screen it is given before a message, by its owner (the root model's
// feed): the words, styles and keys (common), and its data (the lessons, the
// stack shown, the names tab completes). A choice it makes (a lesson opened,
// a yes, a save) it keeps for its owner to read right after Update.
type component[C any] interface {
	Update(tea.Msg) (C, tea.Cmd)
	View() string
	SetSize(width, height int)
	Bindings() []key.Binding
}

var (
	_ component[lessonList] = (*lessonList)(nil)
	_ component[confirmBox] = (*confirmBox)(nil)
	_ component[helpScreen] = (*helpScreen)(nil)
	_ component[cmdLine]    = (*cmdLine)(nil)
	_ component[layersPane] = (*layersPane)(nil)
	_ component[*dfEditor]  = (*dfEditor)(nil)
	_ component[lessonPage] = (*lessonPage)(nil)
)

// common is what every component draws and reads keys with: the learner's
// language, the styles of the theme, the keymap. The root model shares a
// new one with all of them when the language or the theme changes (feed).
type common struct {
	t    *i18n.Strings
	st   *render.Styles
	keys *KeyMap // shared, never written (the model's: a model is copied at every message)
}

// ptr is a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
