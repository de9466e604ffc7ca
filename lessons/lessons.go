// Package lessons owns layerlab's lessons: markdown files with a small front
// matter and declarative ```step blocks, embedded in the binary. It parses and
// validates them (with file:line errors); it knows nothing of rendering.
package lessons

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

//go:embed content
var content embed.FS

// The languages lessons are written in, by code: every lesson (and every
// pack) has an English variant; Korean is the built-in lessons' other one
// and a pack's ko/ folder.
const (
	LangEnglish = "en"
	LangKorean  = "ko"
)

// LangCodes are the languages of the built-in lessons, English first.
func LangCodes() []string { return []string{LangEnglish, LangKorean} }

// Kind is what a step does on the daemon.
type Kind string

const (
	// KindPull runs `docker pull REF`; the learner may edit REF.
	KindPull Kind = "pull"
	// KindImages shows `docker images`.
	KindImages Kind = "images"
	// KindPs shows `docker ps -a`.
	KindPs Kind = "ps"
	// KindRun starts a labelled container from IMAGE (`docker run -dit --name NAME IMAGE`).
	KindRun Kind = "run"
	// KindExec runs `cmd` with sh -c in the named container; the learner may edit it.
	KindExec Kind = "exec"
	// KindDiff shows `docker diff CONTAINER`.
	KindDiff Kind = "diff"
	// KindCommit runs `docker commit CONTAINER as`; the learner may edit `as`.
	KindCommit Kind = "commit"
	// KindTag runs `docker tag IMAGE as`: a second name for the same image.
	KindTag Kind = "tag"
	// KindRmi runs `docker rmi REF` on an image layerlab made; the learner may
	// edit REF. The REF "<none>" stands for the newest untagged image the lesson
	// made, removed by its id.
	KindRmi Kind = "rmi"
	// KindRm removes a container the lesson started (`docker rm -f NAME`).
	KindRm Kind = "rm"
	// KindDockerfile opens a Dockerfile of the lesson's workspace in the
	// editor, with the explanation pane beside it.
	KindDockerfile Kind = "dockerfile"
	// KindBuild runs `docker build [-t tag] [-f file] DIR` on the lesson's
	// workspace (DIR relative to it, usually ".").
	KindBuild Kind = "build"
	// KindStart runs a container of IMAGE to its end (`docker run --rm IMAGE`)
	// and shows what its CMD printed.
	KindStart Kind = "start"
	// KindCheck is an exercise the learner does with the real docker CLI in
	// their own terminal; layerlab checks the daemon's state to mark it done.
	// Arg is what to check: "image REF", "container IMAGE",
	// "committed REF BASE", "removed REF", "built REF FILE" or
	// "whiteout REF PATH".
	KindCheck Kind = "check"
	// KindSave writes IMAGE to a file of the lesson's workspace (`docker
	// save -o FILE IMAGE`, FILE the step's `to:`).
	KindSave Kind = "save"
	// KindTarList lists what a saved file holds, each file told apart:
	// index, manifest, config, layers (by their sha256 against the diff ids).
	KindTarList Kind = "tarlist"
	// KindLoad loads a file the lesson saved back (`docker load -i FILE`).
	KindLoad Kind = "load"
	// KindHistory shows `docker history IMAGE` as the CLI prints it.
	KindHistory Kind = "history"
	// KindAppend adds the line text to FILE in the lesson's workspace
	// (`echo TEXT >> FILE`): a source file changed, for the build cache.
	KindAppend Kind = "append"
	// KindVolume creates a named volume (`docker volume create NAME`).
	KindVolume Kind = "volume"
	// KindVolumes shows `docker volume ls`.
	KindVolumes Kind = "volumes"
	// KindRmVolume removes a volume the lesson created (`docker volume rm NAME`).
	KindRmVolume Kind = "rmvolume"
)

// Makes reports whether a step of kind k leaves something on the daemon
// that layerlab made (an image, a tag, a container): what x offers to remove.
func (k Kind) Makes() bool {
	switch k {
	case KindPull, KindRun, KindCommit, KindTag, KindBuild, KindStart, KindLoad, KindVolume:
		return true
	}
	return false
}

// CheckKinds are the exercise checks, with how many arguments each takes.
var CheckKinds = map[string]int{"image": 1, "container": 1, "committed": 2, "removed": 1, "built": 2,
	"whiteout": 2, "reloaded": 1, "smaller": 2, "volume": 1, "mounted": 1}

// Dangling is the rmi argument that names the lesson's newest untagged image.
const Dangling = "<none>"

// kinds lists every step kind with whether it needs an argument.
var kinds = map[Kind]bool{KindPull: true, KindImages: false, KindPs: false,
	KindRun: true, KindExec: true, KindDiff: true, KindCommit: true,
	KindTag: true, KindRmi: true, KindRm: true,
	KindDockerfile: true, KindBuild: true, KindStart: true, KindCheck: true,
	KindSave: true, KindTarList: true, KindLoad: true,
	KindHistory: true, KindAppend: true,
	KindVolume: true, KindVolumes: false, KindRmVolume: true}

// stepKeys are the keys each kind may carry besides its kind, and which are required.
var stepKeys = map[Kind]map[string]bool{
	KindRun:      {"name": true, "volume": false},
	KindExec:     {"cmd": true, "expect": false},
	KindCommit:   {"as": true},
	KindTag:      {"as": true},
	KindRmi:      {"expect": false},
	KindRmVolume: {"expect": false},
	// expect: change: the step is done when a change to the file is saved,
	// not when it is opened.
	KindDockerfile: {"expect": false},
	KindBuild:      {"tag": false, "file": false, "expect": false, "builder": false},
	KindCheck:      {"hint": false},
	KindSave:       {"to": true},
	KindAppend:     {"text": true},
}

// Step is one runnable card in a lesson.
type Step struct {
	Index int
	Kind  Kind
	// Arg is the image for pull, run, tag and rmi; the container for exec, diff, commit and rm.
	Arg   string
	Title string
	// Name is the container a run step creates; Cmd what an exec step runs;
	// As the image reference a commit step makes.
	Name, Cmd, As string
	// Expect names the failure a step is meant to meet ("conflict",
	// "build-failed", "fail" for a command that exits non-zero): the lesson
	// teaches with it, so meeting it completes the step.
	Expect string
	// Tag and File are a build step's -t and -f (File relative to the
	// workspace); File is also the file a save step writes (its `to:`).
	Tag, File string
	// Builder is the builder a build step uses: "" (BuildKit, as docker
	// build since Docker 23) or "classic" (the legacy builder, one image
	// per instruction, as DOCKER_BUILDKIT=0 docker build).
	Builder string
	// Volume is a run step's -v: NAME:/path mounts the lesson's volume
	// NAME, ./dir:/path a folder of the lesson's workspace (a bind mount).
	Volume string
	// Hints are an exercise's hints, shown one at a time on request.
	Hints string
	// Text is the line an append step adds to its file.
	Text string
	Line int // where the ```step fence opens, 1-based
}

// Part is a piece of a lesson in reading order: markdown, or a step.
type Part struct {
	Markdown string
	Step     *Step
}

// Lesson is one lesson in one language.
type Lesson struct {
	ID    string
	Title string
	// Image is the image the lesson is about: the layers panel shows it.
	Image string
	File  string
	Parts []Part
	Steps []*Step
}

// Bounds on a lesson's markdown: a pack is anybody's text, and a renderer
// given a file of megabytes or of quotes and lists nested hundreds deep takes
// minutes and gigabytes. The built-in lessons are far inside them.
const (
	// MaxLessonBytes is the largest lesson file.
	MaxLessonBytes = 128 << 10
	// MaxLineBytes is the longest line.
	MaxLineBytes = 4 << 10
	// MaxNesting is how deep quotes (>) and indented lists may nest.
	MaxNesting = 8
)

// Parse reads one lesson file. All problems found are returned, joined.
func Parse(file string, src []byte) (*Lesson, error) {
	var errs []error
	fail := func(line, col int, code Code, args ...any) {
		errs = append(errs, newError(file, line, col, code, args...))
	}
	if len(src) > MaxLessonBytes {
		fail(1, 1, CodeTooLarge, len(src)>>10, MaxLessonBytes>>10)
		return nil, errors.Join(errs...)
	}
	if line, col, ok := firstInvalidUTF8(src); ok {
		fail(line, col, CodeNotUTF8)
		return nil, errors.Join(errs...)
	}
	lines := splitLines(string(src))
	inFence := false
	for n, ln := range lines {
		if strings.HasPrefix(strings.TrimSpace(ln), "```") {
			inFence = !inFence
		}
		if len(ln) > MaxLineBytes {
			fail(n+1, 1, CodeLineTooLong, len(ln), MaxLineBytes)
		} else if depth, col := nesting(ln); depth > MaxNesting && !inFence {
			fail(n+1, col, CodeNestedTooDeep, depth, MaxNesting)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	l := &Lesson{File: file}
	i := 0
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		fail(1, 1, CodeNoFrontMatter)
		return nil, errors.Join(errs...)
	}
	i = 1
	closed := false
	for ; i < len(lines); i++ {
		ln := lines[i]
		if strings.TrimSpace(ln) == "---" {
			closed = true
			i++
			break
		}
		if strings.TrimSpace(ln) == "" || strings.HasPrefix(strings.TrimSpace(ln), "#") {
			continue
		}
		k, v, ok := strings.Cut(ln, ":")
		if !ok {
			fail(i+1, 1, CodeFrontMatterLine, ln)
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "id":
			if !validID(v) {
				fail(i+1, len(k)+3, CodeBadID, v)
			}
			l.ID = v
		case "title":
			l.Title = v
		case "image":
			l.Image = v
		default:
			fail(i+1, 1, CodeUnknownFrontMatterKey, k)
		}
	}
	if !closed {
		fail(len(lines), 1, CodeFrontMatterOpen)
		return nil, errors.Join(errs...)
	}
	if l.ID == "" {
		fail(1, 1, CodeNoID)
	}
	if l.Title == "" {
		fail(1, 1, CodeNoTitle)
	}
	var md strings.Builder
	flush := func() {
		if s := strings.TrimSpace(md.String()); s != "" {
			l.Parts = append(l.Parts, Part{Markdown: s})
		}
		md.Reset()
	}
	for ; i < len(lines); i++ {
		ln := lines[i]
		fence := strings.TrimSpace(ln)
		if fence != "```step" {
			// Other fenced blocks are markdown; skip over them whole so a
			// "```step" inside an example is not taken for a step.
			if strings.HasPrefix(fence, "```") || strings.HasPrefix(fence, "~~~") {
				marker := fence[:3]
				md.WriteString(ln + "\n")
				for i++; i < len(lines); i++ {
					md.WriteString(lines[i] + "\n")
					if strings.TrimSpace(lines[i]) == marker {
						break
					}
				}
				continue
			}
			md.WriteString(ln + "\n")
			continue
		}
		flush()
		st := &Step{Index: len(l.Steps), Line: i + 1}
		start := i + 1
		end := -1
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == "```" {
				end = j
				break
			}
		}
		if end < 0 {
			fail(i+1, 1, CodeStepBlockOpen)
			break
		}
		for j := start; j < end; j++ {
			body := lines[j]
			if strings.TrimSpace(body) == "" {
				continue
			}
			k, v, ok := strings.Cut(body, ":")
			if !ok {
				fail(j+1, 1, CodeStepLine, body)
				continue
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if j == start || st.Kind == "" {
				needsArg, known := kinds[Kind(k)]
				if !known {
					fail(j+1, 1, CodeUnknownKind, k, knownKinds())
					st.Kind = "?"
					continue
				}
				st.Kind = Kind(k)
				st.Arg = v
				if needsArg && v == "" {
					fail(j+1, len(k)+2, CodeStepNeedsValue, k, k)
				}
				continue
			}
			if why, ok := forbiddenKeys[k]; ok && !(k == "volume" && st.Kind == KindRun) {
				fail(j+1, 1, CodeForbiddenKey, k, why)
				continue
			}
			if _, ok := stepKeys[st.Kind][k]; !ok && k != "title" {
				fail(j+1, 1, CodeUnknownStepKey, k, st.Kind, knownKeys(st.Kind))
				continue
			}
			switch k {
			case "title":
				st.Title = v
			case "name":
				st.Name = v
			case "cmd":
				st.Cmd = v
			case "as":
				st.As = v
			case "expect":
				if v != "conflict" && v != "build-failed" && v != "fail" && v != "change" {
					fail(j+1, len(k)+3, CodeBadExpect, v)
				}
				st.Expect = v
			case "hint":
				// Hints accumulate, one per line; \x1f keeps the struct comparable.
				if st.Hints != "" {
					st.Hints += "\x1f"
				}
				st.Hints += v
			case "tag":
				st.Tag = v
			case "file", "to":
				st.File = v
			case "text":
				if !appendTextOK(v) {
					fail(j+1, len(k)+3, CodeBadAppendText, v)
				}
				st.Text = v
			case "volume":
				if src, _, ok := strings.Cut(v, ":"); !ok || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~") ||
					strings.HasPrefix(src, ".") && !validVolume(v) {
					// Anything of the host but a folder of the workspace.
					fail(j+1, 1, CodeForbiddenKey, k, CodeReasonMount)
				} else if !validVolume(v) {
					fail(j+1, len(k)+3, CodeBadVolume, v)
				}
				st.Volume = v
			case "builder":
				if v != "buildkit" && v != "classic" {
					fail(j+1, len(k)+3, CodeBadBuilder, v)
				}
				if v == "classic" {
					st.Builder = v
				}
			}
		}
		if st.Kind == "" {
			fail(i+1, 1, CodeEmptyStep)
		}
		if st.Kind == KindCheck {
			f := strings.Fields(st.Arg)
			if n, ok := CheckKinds[firstOf(f)]; !ok || len(f)-1 != n {
				fail(i+2, 1, CodeBadCheck, st.Arg)
			} else if f[0] == "smaller" {
				if _, err := ParseSize(f[2]); err != nil {
					fail(i+2, 1, CodeBadCheck, st.Arg)
				}
			}
		}
		for _, wp := range workspacePaths(st) {
			if !InsideWorkspace(wp) {
				fail(i+1, 1, CodePathOutside, st.Kind, wp)
			}
		}
		for k, required := range stepKeys[st.Kind] {
			if required && st.field(k) == "" {
				fail(i+1, 1, CodeStepNeedsKey, st.Kind, k)
			}
		}
		l.Steps = append(l.Steps, st)
		l.Parts = append(l.Parts, Part{Step: st})
		i = end
	}
	flush()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return l, nil
}

func (s *Step) field(k string) string {
	switch k {
	case "name":
		return s.Name
	case "cmd":
		return s.Cmd
	case "as":
		return s.As
	case "to":
		return s.File
	case "text":
		return s.Text
	}
	return ""
}

func knownKeys(k Kind) string {
	ks := []string{"title"}
	for key := range stepKeys[k] {
		ks = append(ks, key)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func knownKinds() string {
	var ks []string
	for k := range kinds {
		ks = append(ks, string(k))
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func validID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func splitLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	return out
}

// LoadFS reads every *.md under dir of fsys, in file-name order.
func LoadFS(fsys fs.FS, dir string) ([]*Lesson, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []*Lesson
	var errs []error
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		p := path.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		l, err := Parse(p, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := seen[l.ID]; dup {
			errs = append(errs, newError(p, 1, 1, CodeDuplicateID, l.ID, other))
			continue
		}
		seen[l.ID] = p
		out = append(out, l)
	}
	return out, errors.Join(errs...)
}

// Builtin returns the lessons shipped with layerlab in the given language.
func Builtin(lang string) ([]*Lesson, error) {
	return LoadFS(content, path.Join("content", lang))
}

// validVolume is a run step's volume: NAME:/path (a volume's name: a
// letter or digit, then letters, digits, _ . -) or ./dir:/path, a folder
// inside the lesson's workspace. Nothing else of the host.
func validVolume(v string) bool {
	src, dst, ok := strings.Cut(v, ":")
	if !ok || !strings.HasPrefix(dst, "/") || strings.Contains(dst, ":") || src == "" {
		return false
	}
	if strings.HasPrefix(src, "./") {
		return InsideWorkspace(strings.TrimPrefix(src, "./"))
	}
	for i, r := range src {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || r != '_' && r != '.' && r != '-') {
			return false
		}
	}
	return true
}

// VolumeParts splits a run step's volume into its source (a volume's name,
// or ./dir in the workspace) and its path in the container; bind says the
// source is a folder of the workspace.
func (s *Step) VolumeParts() (src, target string, bind bool) {
	src, target, _ = strings.Cut(s.Volume, ":")
	return src, target, strings.HasPrefix(src, "./")
}

// workspacePaths are the paths a step names inside the lesson's workspace.
func workspacePaths(st *Step) []string {
	var out []string
	if st.Kind == KindDockerfile || st.Kind == KindBuild || st.Kind == KindTarList || st.Kind == KindLoad || st.Kind == KindAppend {
		out = append(out, st.Arg)
	}
	if st.File != "" {
		out = append(out, st.File)
	}
	return out
}

// InsideWorkspace reports whether p stays inside the folder it is relative to.
func InsideWorkspace(p string) bool {
	if p == "" || path.IsAbs(p) || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return false
	}
	c := path.Clean(p)
	return c != ".." && !strings.HasPrefix(c, "../")
}

// forbiddenKeys are what a lesson pack might try to give a container or a
// build that would reach the learner's machine. Lessons are data: their steps
// only do what the step kinds do, in labelled containers with nothing from
// the host. Each key gets its reason.
var forbiddenKeys = map[string]Code{
	"mount":      CodeReasonMount,
	"volume":     CodeReasonMount,
	"bind":       CodeReasonMount,
	"privileged": CodeReasonPrivileged,
	"cap-add":    CodeReasonCaps,
	"device":     CodeReasonDevices,
	"network":    CodeReasonNetwork,
	"pid":        CodeReasonPID,
	"ipc":        CodeReasonIPC,
	"user":       CodeReasonUser,
	"security":   CodeReasonSecurity,
	"context":    CodeReasonContext,
}

// SameSteps reports how two variants of a lesson (two languages) differ in
// what they run; titles and prose may differ, steps may not.
func SameSteps(a, b *Lesson) error {
	if a.ID != b.ID || a.Image != b.Image {
		return fmt.Errorf("id/image %s/%s vs %s/%s", a.ID, a.Image, b.ID, b.Image)
	}
	if len(a.Steps) != len(b.Steps) {
		return fmt.Errorf("%d steps vs %d", len(a.Steps), len(b.Steps))
	}
	for j := range a.Steps {
		x, y := *a.Steps[j], *b.Steps[j]
		x.Title, y.Title, x.Line, y.Line, x.Hints, y.Hints = "", "", 0, 0, "", ""
		if x != y {
			return fmt.Errorf("step %d differs (%s %s vs %s %s)", j+1, x.Kind, x.Arg, y.Kind, y.Arg)
		}
	}
	return nil
}

// LoadPack reads a lesson pack: en/*.md (or *.md at the top), and, when the
// pack has a ko/ folder, a Korean variant of every lesson with the same
// steps. Every problem comes back with its file:line:column.
func LoadPack(fsys fs.FS) (map[string][]*Lesson, error) {
	out := map[string][]*Lesson{}
	enDir := LangEnglish
	if _, err := fs.Stat(fsys, LangEnglish); err != nil {
		enDir = "."
	}
	en, err := LoadFS(fsys, enDir)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	if len(en) == 0 && err == nil {
		errs = append(errs, newError(enDir, 1, 1, CodeNoLessons))
	}
	out[LangEnglish] = en
	errs = append(errs, workspaceLinks(fsys)...)
	if _, serr := fs.Stat(fsys, LangKorean); serr == nil {
		ko, err := LoadFS(fsys, LangKorean)
		if err != nil {
			errs = append(errs, err)
		}
		byID := map[string]*Lesson{}
		for _, l := range ko {
			byID[l.ID] = l
		}
		for _, l := range en {
			k, ok := byID[l.ID]
			if !ok {
				errs = append(errs, newError(l.File, 1, 1, CodeNoKorean, l.ID))
				continue
			}
			if err := SameSteps(l, k); err != nil {
				errs = append(errs, newError(k.File, 1, 1, CodeOtherSteps, l.ID, err))
			}
			delete(byID, l.ID)
		}
		for _, k := range byID {
			errs = append(errs, newError(k.File, 1, 1, CodeNoEnglish, k.ID))
		}
		out[LangKorean] = ko
	}
	return out, errors.Join(errs...)
}

func firstOf(f []string) string {
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// HintList is an exercise's hints, in order.
func (s *Step) HintList() []string {
	if s.Hints == "" {
		return nil
	}
	return strings.Split(s.Hints, "\x1f")
}

// firstInvalidUTF8 finds the line and column (bytes, from 1) of the first
// byte that is not UTF-8.
func firstInvalidUTF8(src []byte) (line, col int, found bool) {
	line, start := 1, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, i - start + 1, true
		}
		if r == '\n' {
			line, start = line+1, i+1
		}
		i += size
	}
	return 0, 0, false
}

// nesting is how deep a markdown line nests: its quote markers (>) plus its
// indentation in list levels (every 2 columns, a tab 4), and the column
// where the line's text starts.
func nesting(ln string) (depth, col int) {
	quotes, indent := 0, 0
	for i, r := range ln {
		switch r {
		case '>':
			quotes++
			indent = 0
		case ' ':
			indent++
		case '\t':
			indent += 4
		default:
			return quotes + indent/2, i + 1
		}
	}
	return 0, 1 // a blank line
}

// workspaceLinks refuses symbolic links in a pack's workspace/ folder (the
// folder itself included): layerlab copies a lesson's workspace into the
// learner's cache and sends it to the daemon as a build context, and a link
// could reach any file of the machine (a workspace linked to /etc would ship
// /etc/shadow).
func workspaceLinks(fsys fs.FS) []error {
	const root = "workspace"
	link := func(p string) error {
		return newError(p, 1, 1, CodeSymbolicLink)
	}
	fi, err := fs.Lstat(fsys, root)
	if err != nil {
		return nil // no workspace, or no way to tell links (not a folder on disk)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return []error{link(root)}
	}
	var errs []error
	_ = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, newError(p, 1, 1, CodeOther, err))
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			errs = append(errs, link(p))
		}
		return nil
	})
	return errs
}

// ParseSize reads a size as docker images prints it, in decimal units
// (10MB, 2.5MB, 512kB, 900B): the bytes.
func ParseSize(s string) (int64, error) {
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}, {"B", 1}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || f <= 0 || f > 1e6 {
				break
			}
			return int64(f * u.mult), nil
		}
	}
	return 0, fmt.Errorf("not a size: %q (write it as docker images does: 5MB, 512kB)", s)
}

// DateExpr is what an append step's text may hold for the time it runs:
// the shell's $(date), which a build's cache has never seen.
const DateExpr = "$(date)"

// AppendedText is the line an append step adds at time at: its text with
// $(date) as date prints it (the C locale's format).
func AppendedText(text string, at time.Time) string {
	return strings.ReplaceAll(text, DateExpr, at.Format(time.UnixDate))
}

// AppendCommand is an append step as a shell runs it: echo with the text
// quoted (in double quotes when $(date) is to run), >> FILE.
func AppendCommand(text, file string) string {
	if strings.Contains(text, DateExpr) {
		return `echo "` + text + `" >> ` + file
	}
	return "echo '" + strings.ReplaceAll(text, "'", `'"'"'`) + "' >> " + file
}

// appendTextOK: a text with $(date) is shown in double quotes, so it may
// hold nothing else a shell reads there.
func appendTextOK(text string) bool {
	if !strings.Contains(text, DateExpr) {
		return true
	}
	rest := strings.ReplaceAll(text, DateExpr, "")
	return !strings.ContainsAny(rest, "\"$`\\!")
}
