package tui

import (
	"charm.land/bubbles/v2/key"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// KeyMap is every key layerlab understands, one binding each: handlers match
// these (never a literal key), and help is assembled from them, for the
// screen that has the focus.
type KeyMap struct {
	Up, Down, PageUp, PageDown key.Binding
	Open, Back                 key.Binding
	Run, Edit, Cancel          key.Binding
	NextStep, PrevStep         key.Binding
	NextLesson, PrevLesson     key.Binding
	Tab, Retry, Refresh        key.Binding
	Help, CloseHelp, Quit      key.Binding
	// Interrupt quits whatever has the focus, even a text field (ctrl+c).
	Interrupt                key.Binding
	Remove, Hint, Force, Yes key.Binding
	No                       key.Binding
	// OpenLine opens the Dockerfile of a failed build at the failed step.
	OpenLine          key.Binding
	Save, CloseEditor key.Binding
	Lang, Cmd         key.Binding
	// The open : line: run it, close it, walk its history, complete a name.
	CmdRun, CmdClose, CmdHistory, CmdComplete key.Binding
	CmdScroll                                 key.Binding
	// An edited step value: keep it, or leave it as it was.
	EditKeep, EditCancel key.Binding
	// With the layers panel in focus: choose a layer, list its files; in the
	// listing, scroll it and go back to the layers.
	Layer, Files, FilesScroll, FilesClose key.Binding
}

// DefaultKeyMap builds the bindings with their help text.
func DefaultKeyMap(t i18n.Strings) KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.KeyUp)),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.KeyDown)),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", t.KeyPageUp)),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "space"), key.WithHelp("pgdn/space", t.KeyPageDown)),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyOpen)),
		Back:        key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", t.KeyBack)),
		Run:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyRun)),
		Edit:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", t.KeyEdit)),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyUndo)),
		NextStep:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n/p", t.KeyNextStep)),
		PrevStep:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.KeyPrevStep)),
		NextLesson:  key.NewBinding(key.WithKeys("]"), key.WithHelp("]/[", t.KeyNextLesson)),
		PrevLesson:  key.NewBinding(key.WithKeys("["), key.WithHelp("[", t.KeyPrevLesson)),
		Tab:         key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", t.KeyTab)),
		Retry:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.KeyRetry)),
		Refresh:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", t.KeyRefresh)),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.KeyHelp)),
		CloseHelp:   key.NewBinding(key.WithKeys("esc", "?"), key.WithHelp("esc/?", t.KeyCloseHelp)),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", t.KeyQuit)),
		Interrupt:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", t.KeyQuit)),
		Remove:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", t.KeyRemove)),
		Hint:        key.NewBinding(key.WithKeys("h"), key.WithHelp("h", t.KeyHint)),
		Force:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyForce)),
		OpenLine:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", t.KeyOpenLine)),
		Yes:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", t.KeyYes)),
		No:          key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", t.No)),
		Save:        key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", t.KeySave)),
		Lang:        key.NewBinding(key.WithKeys("L"), key.WithHelp("L", t.KeyLang)),
		Cmd:         key.NewBinding(key.WithKeys(":"), key.WithHelp(":", t.KeyCmd)),
		CloseEditor: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyCloseEditor)),
		CmdRun:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyRun)),
		CmdClose:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyCloseLine)),
		CmdHistory:  key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", t.KeyHistory)),
		CmdComplete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", t.KeyComplete)),
		CmdScroll:   key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", t.KeyScrollOutput)),
		EditKeep:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyKeep)),
		EditCancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyUndo)),
		Layer:       key.NewBinding(key.WithKeys("up", "k", "down", "j"), key.WithHelp("↑/↓", t.KeyLayer)),
		Files:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyFiles)),
		FilesScroll: key.NewBinding(key.WithKeys("up", "k", "down", "j", "pgup", "pgdown"), key.WithHelp("↑/↓", t.KeyScrollFiles)),
		FilesClose:  key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", t.KeyCloseFiles)),
	}
}
