package engine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/layerlab/layerlab/assets"
	"github.com/layerlab/layerlab/lessons"
)

// UsesWorkspace reports whether a lesson has steps that work on files.
func UsesWorkspace(l *lessons.Lesson) bool {
	for _, st := range l.Steps {
		if st.Kind == lessons.KindDockerfile || st.Kind == lessons.KindBuild {
			return true
		}
	}
	return false
}

// Workspace is a lesson's workspace folder, with the Dockerfiles its steps
// name as they were read from disk (by path relative to Dir).
type Workspace struct {
	Dir   string
	Files map[string]string
}

// OpenWorkspace makes the lesson's workspace under root (copying the seed
// files that are not there yet: a learner's edits are never overwritten) and
// reads the Dockerfiles its steps name. pack is the lesson pack's folder, ""
// for the built-in lessons.
func OpenWorkspace(root, pack string, l *lessons.Lesson) (Workspace, error) {
	w := Workspace{Dir: filepath.Join(root, l.ID), Files: map[string]string{}}
	if err := Seed(w.Dir, pack, l.ID); err != nil {
		return w, err
	}
	for _, st := range l.Steps {
		for _, p := range DockerfilesOf(st) {
			b, err := os.ReadFile(filepath.Join(w.Dir, filepath.FromSlash(p)))
			if err == nil {
				w.Files[p] = string(b)
			}
		}
	}
	return w, nil
}

// DockerfilesOf are the Dockerfiles (relative to the workspace) a step uses.
func DockerfilesOf(st *lessons.Step) []string {
	switch st.Kind {
	case lessons.KindDockerfile:
		return []string{st.Arg}
	case lessons.KindBuild:
		if st.File != "" {
			return []string{st.File}
		}
		return []string{filepath.ToSlash(filepath.Join(st.Arg, "Dockerfile"))}
	}
	return nil
}

// LinkError is a pack's workspace folder that is a symbolic link: a pack's
// workspace may hold only plain files and folders.
type LinkError struct{ Path string }

func (e *LinkError) Error() string { return e.Path + " is a symbolic link" }

// Seed copies a lesson's workspace seed into dir: from the lesson pack's
// workspace/<lesson>/ folder for a pack, from the embedded assets otherwise.
func Seed(dir, pack, lesson string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	src, ok := assets.Workspace(lesson)
	if pack != "" {
		p := filepath.Join(pack, "workspace", lesson)
		for _, q := range []string{filepath.Join(pack, "workspace"), p} {
			if fi, err := os.Lstat(q); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
				return &LinkError{Path: q}
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

// ErrChangedOnDisk is a save refused because the file on disk is no longer
// the text the editor read: someone (the learner, in their own terminal)
// wrote it since.
var ErrChangedOnDisk = errors.New("engine: the file changed on disk since it was read")

// SaveOver writes text to path only if the file still holds base (what was
// read from it) or is gone; otherwise it returns ErrChangedOnDisk and the
// text on disk, and writes nothing: a newer file is never overwritten unseen.
func SaveOver(path, text, base string) (disk string, err error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil && string(b) != base:
		return string(b), ErrChangedOnDisk
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	return "", SaveFile(path, text)
}

// ReadFile reads a workspace file as text.
func ReadFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// SaveFile writes a workspace file whole or not at all (a temporary file,
// then a rename).
func SaveFile(path, text string) error {
	tmp := path + ".layerlab-tmp"
	err := os.WriteFile(tmp, []byte(text), 0o600)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	return err
}
