package cli

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/layerlab/layerlab/assets"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// LessonImages are the images a learner is told to get, in every language
// given, sorted: what the steps pull, run and start, what an exercise asks
// to have (image REF, container IMAGE, the BASE of committed REF BASE),
// what a hint says to `docker pull` or `docker run` (MIRROR/library/NAME
// read as NAME), and what the lessons' Dockerfiles build FROM. Images the
// lessons make themselves (commit, tag, build) are not among them: no
// registry has them. The classroom registry serves this list; layerlab
// prepare brings it.
func LessonImages(sets ...[]*lessons.Lesson) []string {
	seen := map[string]bool{}
	for _, ls := range sets {
		for _, l := range ls {
			made := madeBy(l)
			add := func(s string) {
				r, err := docker.ParseRef(s)
				if err != nil || made[r.String()] {
					return
				}
				seen[r.String()] = true
			}
			for _, st := range l.Steps {
				for _, img := range stepImages(st) {
					add(img)
				}
			}
			for _, img := range workspaceFroms(l.ID) {
				add(img)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// madeBy are the images lesson l makes itself: its commits, tags and
// builds, and the images its exercises ask the learner to make.
func madeBy(l *lessons.Lesson) map[string]bool {
	made := map[string]bool{}
	mark := func(s string) {
		if r, err := docker.ParseRef(s); err == nil {
			made[r.String()] = true
		}
	}
	for _, st := range l.Steps {
		switch st.Kind {
		case lessons.KindCommit, lessons.KindTag:
			mark(st.As)
		case lessons.KindBuild:
			mark(st.Tag)
		case lessons.KindCheck:
			if f := strings.Fields(st.Arg); len(f) == 3 && (f[0] == "committed" || f[0] == "built" || f[0] == "whiteout") {
				mark(f[1])
			}
		}
	}
	return made
}

// stepImages are the images one step tells the learner to get.
func stepImages(st *lessons.Step) []string {
	var out []string
	switch st.Kind {
	case lessons.KindPull, lessons.KindRun, lessons.KindStart:
		out = append(out, st.Arg)
	case lessons.KindCheck:
		f := strings.Fields(st.Arg)
		switch {
		case len(f) == 2 && (f[0] == "image" || f[0] == "container"):
			out = append(out, f[1])
		case len(f) == 3 && f[0] == "committed":
			out = append(out, f[2])
		}
	}
	if st.Hints != "" {
		for _, h := range strings.Split(st.Hints, "\x1f") {
			out = append(out, hintImages(h)...)
		}
	}
	return out
}

// hintImages are the images a hint's `docker pull X` and `docker run … X`
// name. MIRROR/library/NAME (the classroom's registry, as the hint writes
// it) is NAME; a placeholder (NAME:TAG) is no reference and drops out.
func hintImages(h string) []string {
	w := strings.FieldsFunc(h, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ',' || r == ';' || r == '(' || r == ')' || r == '`'
	})
	var out []string
	for i := 0; i+2 < len(w); i++ {
		if w[i] != "docker" || (w[i+1] != "pull" && w[i+1] != "run") {
			continue
		}
		j := i + 2
		for j < len(w) && strings.HasPrefix(w[j], "-") {
			if w[j] == "--name" && j+1 < len(w) {
				j++
			}
			j++
		}
		if j < len(w) {
			img := strings.TrimPrefix(w[j], "MIRROR/")
			out = append(out, strings.TrimPrefix(img, "library/"))
		}
	}
	return out
}

// workspaceFroms are the images lesson id's Dockerfiles build FROM (not a
// stage of the same file, not scratch, not one named by an ARG).
func workspaceFroms(id string) []string {
	ws, ok := assets.Workspace(id)
	if !ok {
		return nil
	}
	var out []string
	_ = fs.WalkDir(ws, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(path.Base(p), "Dockerfile") {
			return nil
		}
		b, err := fs.ReadFile(ws, p)
		if err != nil {
			return nil
		}
		stages := map[string]bool{}
		for _, ln := range strings.Split(string(b), "\n") {
			f := strings.Fields(ln)
			if len(f) < 2 || !strings.EqualFold(f[0], "FROM") {
				continue
			}
			args := f[1:]
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			if len(args) == 0 {
				continue
			}
			img := args[0]
			if len(args) >= 3 && strings.EqualFold(args[1], "AS") {
				stages[strings.ToLower(args[2])] = true
			}
			if img == "scratch" || stages[strings.ToLower(img)] || strings.Contains(img, "$") {
				continue
			}
			out = append(out, img)
		}
		return nil
	})
	return out
}
