package engine

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/layerlab/layerlab/assets"
	"github.com/layerlab/layerlab/lessons"
)

// UsesWorkspace reports whether a lesson has steps that work on files.
func UsesWorkspace(l *lessons.Lesson) bool {
	for _, st := range l.Steps {
		switch st.Kind {
		case lessons.KindDockerfile, lessons.KindBuild, lessons.KindSave, lessons.KindTarList, lessons.KindLoad, lessons.KindAppend:
			return true
		}
		if _, _, bind := st.VolumeParts(); st.Kind == lessons.KindRun && bind {
			return true // a bind mount of a folder of the workspace
		}
	}
	return false
}

// Workspace is a lesson's workspace folder, with the Dockerfiles its steps
// name as they were read from disk (by path relative to Dir).
type Workspace struct {
	Dir   string
	Files map[string]string
	// Refused are the Dockerfiles that cannot be read as one (a *FileError
	// each: too large, not text, not a plain file inside the workspace).
	Refused map[string]error
}

// OpenWorkspace makes the lesson's workspace under root (copying the seed
// files that are not there yet: a learner's edits are never overwritten) and
// reads the Dockerfiles its steps name. pack is the lesson pack's folder, ""
// for the built-in lessons; lang the learner's language (the built-in seeds'
// comments are in it).
func OpenWorkspace(root, pack, lang string, l *lessons.Lesson) (Workspace, error) {
	w := Workspace{Dir: filepath.Join(root, l.ID), Files: map[string]string{}, Refused: map[string]error{}}
	if err := Seed(w.Dir, pack, lang, l.ID); err != nil {
		return w, err
	}
	for _, st := range l.Steps {
		for _, p := range DockerfilesOf(st) {
			text, err := ReadWorkspaceFile(w.Dir, filepath.Join(w.Dir, filepath.FromSlash(p)))
			var fe *FileError
			switch {
			case err == nil:
				w.Files[p] = text
			case errors.As(err, &fe):
				w.Refused[p] = err
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
// workspace/<lesson>/ folder for a pack, from the embedded assets otherwise
// (a file's comments in lang where the assets have them so).
func Seed(dir, pack, lang, lesson string) error {
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
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		want := b
		if t, ok := assets.Translated(lesson, lang, p); ok && pack == "" {
			want = t
		}
		fi, err := os.Lstat(dst)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return os.WriteFile(dst, want, 0o600)
		case err != nil || !fi.Mode().IsRegular() || pack != "" || fi.Size() > 1<<20:
			return nil // the learner's copy stays
		}
		// A seed never edited, in another language's comments (the learner
		// switched language), is this language's seed; an edited one stays.
		have, err := os.ReadFile(dst)
		if err != nil || bytes.Equal(have, want) {
			return nil
		}
		for _, other := range []string{"en", "ko"} { // the seeds' languages
			seed := b
			if t, ok := assets.Translated(lesson, other, p); ok {
				seed = t
			}
			if bytes.Equal(have, seed) {
				return writeWhole(dst, want)
			}
		}
		return nil
	})
}

// writeWhole writes b to path under a temporary name and renames it into
// place: a reader never sees half of it.
func writeWhole(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".seed-*")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// ErrChangedOnDisk is a save refused because the file on disk is no longer
// the text the editor read: someone (the learner, in their own terminal)
// wrote it since.
var ErrChangedOnDisk = errors.New("engine: the file changed on disk since it was read")

// SaveOver writes text to path (inside the workspace dir) only if the file
// still holds base (what was read from it) or is gone; otherwise it returns
// ErrChangedOnDisk and the text on disk, and writes nothing: a newer file
// is never overwritten unseen. A file that is not one to read (a link, too
// large, not text) is never written over either.
func SaveOver(dir, path, text, base string) (disk string, err error) {
	b, err := ReadWorkspaceFile(dir, path)
	switch {
	case err == nil && b != base:
		return b, ErrChangedOnDisk
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	return "", SaveFile(path, text)
}

// MaxFile is the most a workspace file (a Dockerfile: text, and small) may
// hold to be read; a larger one is refused, never cut.
const MaxFile = 64 << 10

// FileCode says why a workspace file cannot be held as it is.
type FileCode int

const (
	// FileTooLarge: more than MaxFile bytes.
	FileTooLarge FileCode = iota + 1
	// FileNotText: not UTF-8, or control characters other than tab and
	// line ends.
	FileNotText
	// FileNotPlain: a symbolic link, a folder, a device: not a plain file
	// inside the workspace.
	FileNotPlain
)

// FileError is a workspace file that is not read (or written), and why.
type FileError struct {
	Path string
	Code FileCode
}

func (e *FileError) Error() string {
	return e.Path + ": " + map[FileCode]string{FileTooLarge: "too large", FileNotText: "not text", FileNotPlain: "not a plain file"}[e.Code]
}

// ReadWorkspaceFile reads the file path inside the workspace dir as text:
// a plain file reached through no symbolic link below dir, at most MaxFile
// bytes, UTF-8 text; anything else is a *FileError (and nothing more of it
// is read than MaxFile and a byte).
func ReadWorkspaceFile(dir, path string) (string, error) {
	if err := plainInside(dir, path); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return "", &FileError{Path: path, Code: FileNotPlain}
		}
		return "", err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", &FileError{Path: path, Code: FileNotPlain}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	if err != nil {
		return "", err
	}
	if len(b) > MaxFile {
		return "", &FileError{Path: path, Code: FileTooLarge}
	}
	if !IsText(b) {
		return "", &FileError{Path: path, Code: FileNotText}
	}
	return string(b), nil
}

// ReadTextFile reads a file someone named (layerlab explain FILE) as a
// Dockerfile: a plain file (a link to one is followed), at most MaxFile
// bytes, UTF-8 text; anything else is a *FileError, and no more of it is
// read than MaxFile and a byte (never /dev/zero to its end).
func ReadTextFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", &FileError{Path: path, Code: FileNotPlain}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	switch {
	case err != nil:
		return "", err
	case len(b) > MaxFile:
		return "", &FileError{Path: path, Code: FileTooLarge}
	case !IsText(b):
		return "", &FileError{Path: path, Code: FileNotText}
	}
	return string(b), nil
}

// IsText reports whether b is UTF-8 text with no control characters but
// tab, line feed and carriage return.
func IsText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// plainInside checks that no folder between dir and path, nor path itself,
// is a symbolic link (a link could lead anywhere on the machine).
func plainInside(dir, path string) error {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(rel) {
		return &FileError{Path: path, Code: FileNotPlain}
	}
	cur := dir
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return &FileError{Path: path, Code: FileNotPlain}
		}
	}
	return nil
}

// SaveFile writes a workspace file whole or not at all (a temporary file of
// its own, then a rename, which replaces a link rather than follows it).
func SaveFile(path, text string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.layerlab-tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Appended is what an append step did: the file it changed (relative to the
// workspace), the line it added, the file's lines and bytes after.
type Appended struct {
	File, Line string
	Lines      int
	Size       int64
}

// AppendLine adds text as a line at the end of the workspace file rel in dir
// (echo TEXT >> FILE, $(date) in it the time at, as date prints it), with
// the same care as the editor: a plain text file inside the workspace,
// written whole or not at all.
func AppendLine(dir, rel, text string, at time.Time) (Appended, error) {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	old, err := ReadWorkspaceFile(dir, path)
	if err != nil {
		return Appended{}, err
	}
	if old != "" && !strings.HasSuffix(old, "\n") {
		old += "\n"
	}
	line := lessons.AppendedText(text, at)
	now := old + line + "\n"
	if len(now) > MaxFile {
		return Appended{}, &FileError{Path: path, Code: FileTooLarge}
	}
	if err := SaveFile(path, now); err != nil {
		return Appended{}, err
	}
	return Appended{File: rel, Line: line, Lines: strings.Count(now, "\n"), Size: int64(len(now))}, nil
}

// FinishAppend runs an append step on the lesson's workspace dir and folds
// what it did into the step: done, or failed with the file's error (a file
// that is not there says so as a note, as a build's missing Dockerfile).
func (s *Session) FinishAppend(st *lessons.Step, k StepKey, dir string, at time.Time) *StepState {
	ss := s.State(k)
	a, err := AppendLine(dir, st.Arg, st.Text, at)
	ss.Elapsed = at.Sub(ss.Started)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		*ss = StepState{Note: NoteFileMissing, NoteArg: st.Arg}
	case err != nil:
		ss.Status, ss.Err = Failed, err
	default:
		ss.Status, ss.Err, ss.Appended = Done, nil, &a
	}
	return ss
}
