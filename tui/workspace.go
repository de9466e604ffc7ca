package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/assets"
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

// workspaceCmd makes the lesson's workspace under root (copying the seed
// files that are not there yet: a learner's edits are never overwritten) and
// reads the Dockerfiles its steps name.
func workspaceCmd(root, pack string, l *lessons.Lesson) tea.Cmd {
	return func() tea.Msg {
		dir := filepath.Join(root, l.ID)
		msg := workspaceMsg{lesson: l.ID, dir: dir, files: map[string]string{}}
		if err := seed(dir, pack, l.ID); err != nil {
			msg.err = err
			return msg
		}
		for _, st := range l.Steps {
			for _, p := range engine.DockerfilesOf(st) {
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
				if err == nil {
					msg.files[p] = string(b)
				}
			}
		}
		return msg
	}
}

// seed copies a lesson's workspace seed into dir: from the lesson pack's
// workspace/<lesson>/ folder for a pack, from the embedded assets otherwise.
func seed(dir, pack, lesson string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	src, ok := assets.Workspace(lesson)
	if pack != "" {
		p := filepath.Join(pack, "workspace", lesson)
		for _, q := range []string{filepath.Join(pack, "workspace"), p} {
			if fi, err := os.Lstat(q); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				return fmt.Errorf("%s is a symbolic link: a pack's workspace may hold only plain files and folders", q)
			}
		}
		_, err := os.Stat(p)
		src, ok = os.DirFS(p), err == nil
	}
	if !ok {
		return nil
	}
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		if !d.Type().IsRegular() {
			return nil // a link could point anywhere on the machine: never followed
		}
		if _, err := os.Stat(dst); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return nil // the learner's copy stays
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
}

// saveCmd writes the editor's text to its file.
func saveCmd(path, text string) tea.Cmd {
	return func() tea.Msg {
		tmp := path + ".layerlab-tmp"
		err := os.WriteFile(tmp, []byte(text), 0o600)
		if err == nil {
			err = os.Rename(tmp, path)
		}
		return fileSavedMsg{path: path, text: text, err: err}
	}
}
