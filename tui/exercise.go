package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons"
)

// Exercises are done with the real docker CLI in the learner's own terminal.
// layerlab sees the daemon change (its events) and checks the daemon's state:
// a check that is not met says precisely what is missing.

// checkResult is an exercise's state on the daemon as it is now.
type checkResult struct {
	done bool
	why  string
}

// builtWorld is what a "built" check needs beyond the lists: the image's
// settings, and the lesson's Dockerfiles (by path in the workspace).
type builtWorld struct {
	stacks map[string]stackEntry
	files  map[string]string
}

// evalCheck checks an exercise against the daemon's picture.
func evalCheck(t *Strings, arg string, images []docker.Image, containers []docker.Container, diffIDs map[string][]string, w ...builtWorld) checkResult {
	f := strings.Fields(arg)
	if len(f) < 2 {
		return checkResult{}
	}
	e := t.Ex
	ref := docker.Familiar(f[1])
	img, found := findImage(images, ref)
	switch f[0] {
	case "image":
		if !found {
			return checkResult{why: tr(e.ImageMissingFmt, ref)}
		}
		return checkResult{done: true}
	case "removed":
		if found {
			return checkResult{why: tr(e.StillThereFmt, ref, ref)}
		}
		return checkResult{done: true}
	case "container":
		var stopped *docker.Container
		for i, c := range containers {
			if c.Owned {
				continue // the exercise is the learner's own, not a lesson step's
			}
			if docker.Familiar(c.Image) == ref || (found && c.ImageID == img.ID) {
				if c.State == "running" {
					return checkResult{done: true}
				}
				stopped = &containers[i]
			}
		}
		if stopped != nil {
			return checkResult{why: tr(e.ContainerStoppedFmt, ref, stopped.Name)}
		}
		return checkResult{why: tr(e.ContainerMissingFmt, ref)}
	case "built":
		if len(f) < 3 || len(w) == 0 {
			return checkResult{}
		}
		file := f[2]
		if found && img.Owned {
			// The lesson's own build step made it: the exercise is the learner's.
			return checkResult{why: tr(e.BuiltLessonsFmt, ref, ref, file)}
		}
		if !found {
			return checkResult{why: tr(e.BuiltMissingFmt, ref, ref, file)}
		}
		e2 := w[0].stacks[ref]
		if !e2.found || e2.stack.ID != img.ID {
			return checkResult{} // its settings are being read
		}
		got := cmdText(e2.stack.Config.Cmd)
		if want := dockerfile.Analyze(w[0].files[file]).Cmd; squash(want) == squash(got) {
			return checkResult{done: true}
		}
		if def := dockerfile.Analyze(w[0].files["Dockerfile"]).Cmd; def != "" && squash(def) == squash(got) {
			return checkResult{why: tr(e.BuiltDefaultFmt, ref, file, file)}
		}
		return checkResult{why: tr(e.BuiltOtherFmt, ref, file, got)}
	case "committed":
		if len(f) < 3 {
			return checkResult{}
		}
		base := docker.Familiar(f[2])
		if found && img.Owned {
			// An image layerlab committed is a lesson step's, not the learner's.
			return checkResult{why: tr(e.CommitLessonsFmt, ref, ref)}
		}
		if !found {
			return checkResult{why: tr(e.CommitMissingFmt, ref, ref)}
		}
		b, ok := findImage(images, base)
		mine, theirs := diffIDs[img.ID], diffIDs[b.ID]
		switch {
		case !ok:
			return checkResult{why: tr(e.ImageMissingFmt, base)}
		case mine == nil || theirs == nil:
			return checkResult{} // layers not read yet: the next picture says
		case slices.Equal(mine, theirs):
			return checkResult{why: tr(e.SameLayersFmt, ref, base)}
		case len(mine) <= len(theirs) || !slices.Equal(mine[:len(theirs)], theirs):
			return checkResult{why: tr(e.NotOnBaseFmt, ref, base, base)}
		}
		return checkResult{done: true}
	}
	return checkResult{}
}

func findImage(images []docker.Image, ref string) (docker.Image, bool) {
	for _, im := range images {
		for _, t := range append([]string{im.Ref()}, im.AllTags...) {
			if t == ref {
				return im, true
			}
		}
	}
	return docker.Image{}, false
}

// checkExercises marks the open lesson's exercises done when the daemon
// shows them done, and keeps each one's "what is missing". It returns the
// reads a check still needs (an image's settings).
func (m *Model) checkExercises() tea.Cmd {
	l := m.lesson()
	if l == nil {
		return nil
	}
	files := map[string]string{}
	for k, v := range m.files {
		if rel, ok := strings.CutPrefix(k, l.ID+"/"); ok {
			files[rel] = v
		}
	}
	world := builtWorld{stacks: m.stacks, files: files}
	var cmds []tea.Cmd
	for _, st := range l.Steps {
		if st.Kind != lessons.KindCheck {
			continue
		}
		s := m.state(stepKey{l.ID, st.Index})
		if s.status == stepDone {
			continue
		}
		r := evalCheck(m.t, st.Arg, m.images, m.containers, m.diffIDs, world)
		if f := strings.Fields(st.Arg); len(f) > 1 && f[0] == "removed" {
			// Done means the learner removed it: it was there, then it went.
			if _, there := findImage(m.images, docker.Familiar(f[1])); there {
				s.seenTarget = true
			} else if !s.seenTarget {
				r = checkResult{why: tr(m.t.Ex.NeverThereFmt, docker.Familiar(f[1]))}
			}
		}
		if r.done {
			s.status, s.note, s.err = stepDone, "", nil
			continue
		}
		s.why = r.why
		if f := strings.Fields(st.Arg); f[0] == "built" {
			ref := docker.Familiar(f[1])
			e, seen := m.stacks[ref]
			// Read its settings once per image id; a failed read is not retried here.
			if im, ok := findImage(m.images, ref); ok && e.stack.ID != im.ID && !e.loading && e.err == nil && (!seen || e.found) {
				e.loading = true
				m.stacks[ref] = e
				cmds = append(cmds, stackCmd(m.opts.Client, ref))
			}
		}
	}
	return tea.Batch(cmds...)
}

// exerciseView is an exercise's card output: where to do it, what is
// missing, the hints asked for.
func (m Model) exerciseView(st *lessons.Step, s *stepState, width int) string {
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	if s.status == stepDone {
		return wrap.Render(m.st.OK.Render(m.t.Ex.Done))
	}
	lines = append(lines, wrap.Render(m.st.Dim.Render(m.t.Ex.Where)))
	if s.why != "" {
		lines = append(lines, wrap.Render(m.st.Warn.Render("… "+s.why)))
	}
	hints := st.HintList()
	for i := 0; i < s.hints && i < len(hints); i++ {
		lines = append(lines, wrap.Render(m.st.Shared.Render(tr(m.t.Ex.HintFmt, i+1, len(hints), hints[i]))))
	}
	if s.hints < len(hints) {
		lines = append(lines, m.st.Key.Render("h")+" "+m.st.Dim.Render(m.t.Ex.HintKey))
	}
	return strings.Join(lines, "\n")
}

// cmdText is an image's Cmd as a Dockerfile would write it.
func cmdText(cmd []string) string {
	if len(cmd) == 3 && cmd[0] == "/bin/sh" && cmd[1] == "-c" {
		return cmd[2]
	}
	q := make([]string, len(cmd))
	for i, c := range cmd {
		q[i] = fmt.Sprintf("%q", c)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }
