package tui

import (
	"errors"

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
	// refused: the Dockerfiles not read, and why (engine.Workspace.Refused).
	refused map[string]error
	err     error
}

// fileSavedMsg ends a save of the editor's file: saved, or refused because
// the file changed on disk (disk is then what it holds), or failed.
type fileSavedMsg struct {
	key     string // fileKey
	path    string
	text    string
	err     error
	changed bool
	disk    string
}

// diskReadMsg is an open file as it is on disk now.
type diskReadMsg struct {
	path, text string
	err        error
	// recheck: a file refused before, read again because the learner
	// asked to open it (this step's editor opens if it reads well now).
	recheck *engine.StepKey
}

// workspaceCmd makes the lesson's workspace (engine.OpenWorkspace) and
// reads the Dockerfiles its steps name.
func workspaceCmd(root, pack, lang string, l *lessons.Lesson) tea.Cmd {
	return func() tea.Msg {
		w, err := engine.OpenWorkspace(root, pack, lang, l)
		return workspaceMsg{lesson: l.ID, dir: w.Dir, files: w.Files, refused: w.Refused, err: err}
	}
}

// saveCmd writes the editor's text to its file: over base (what the editor
// read) only, unless force (the learner chose to write over a newer file).
func saveCmd(key, dir, path, text, base string, force bool) tea.Cmd {
	return func() tea.Msg {
		if force {
			return fileSavedMsg{key: key, path: path, text: text, err: engine.SaveFile(path, text)}
		}
		disk, err := engine.SaveOver(dir, path, text, base)
		if errors.Is(err, engine.ErrChangedOnDisk) {
			return fileSavedMsg{key: key, path: path, text: text, changed: true, disk: disk}
		}
		return fileSavedMsg{key: key, path: path, text: text, err: err}
	}
}

// recheckCmd reads a refused file again for the step that opens it.
func recheckCmd(dir, path string, k engine.StepKey) tea.Cmd {
	return func() tea.Msg {
		text, err := engine.ReadWorkspaceFile(dir, path)
		return diskReadMsg{path: path, text: text, err: err, recheck: &k}
	}
}

// readDiskCmd reads an open file as it is on disk now.
func readDiskCmd(dir, path string) tea.Cmd {
	return func() tea.Msg {
		text, err := engine.ReadWorkspaceFile(dir, path)
		return diskReadMsg{path: path, text: text, err: err}
	}
}
