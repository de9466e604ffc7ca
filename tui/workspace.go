package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

// workspaceMsg says a lesson's workspace is ready, with the Dockerfiles its
// steps name, read from disk.
type workspaceMsg struct {
	lesson string
	dir    string
	files  map[string]string // path relative to dir -> content
	err    error
}

// fileSavedMsg ends a save of the editor's file.
type fileSavedMsg struct {
	path string
	text string
	err  error
}

// workspaceCmd makes the lesson's workspace (engine.OpenWorkspace) and
// reads the Dockerfiles its steps name.
func workspaceCmd(root, pack string, l *lessons.Lesson) tea.Cmd {
	return func() tea.Msg {
		w, err := engine.OpenWorkspace(root, pack, l)
		return workspaceMsg{lesson: l.ID, dir: w.Dir, files: w.Files, err: err}
	}
}

// saveCmd writes the editor's text to its file.
func saveCmd(path, text string) tea.Cmd {
	return func() tea.Msg {
		return fileSavedMsg{path: path, text: text, err: engine.SaveFile(path, text)}
	}
}
