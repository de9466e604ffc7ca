package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/layerlab/layerlab/docker"
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

// evalCheck checks an exercise against the daemon's picture.
func evalCheck(t Strings, arg string, images []docker.Image, containers []docker.Container, diffIDs map[string][]string) checkResult {
	f := strings.Fields(arg)
	if len(f) < 2 {
		return checkResult{}
	}
	e := t.Ex
	ref := familiar(f[1])
	img, found := findImage(images, ref)
	switch f[0] {
	case "image":
		if !found {
			return checkResult{why: fmt.Sprintf(e.ImageMissingFmt, ref)}
		}
		return checkResult{done: true}
	case "removed":
		if found {
			return checkResult{why: fmt.Sprintf(e.StillThereFmt, ref, ref)}
		}
		return checkResult{done: true}
	case "container":
		var stopped *docker.Container
		for i, c := range containers {
			if c.Owned() {
				continue // the exercise is the learner's own, not a lesson step's
			}
			if familiar(c.Image) == ref || (found && c.ImageID == img.ID) {
				if c.State == "running" {
					return checkResult{done: true}
				}
				stopped = &containers[i]
			}
		}
		if stopped != nil {
			return checkResult{why: fmt.Sprintf(e.ContainerStoppedFmt, ref, stopped.Name)}
		}
		return checkResult{why: fmt.Sprintf(e.ContainerMissingFmt, ref)}
	case "committed":
		if len(f) < 3 {
			return checkResult{}
		}
		base := familiar(f[2])
		if !found || img.Owned() {
			// An image layerlab committed is a lesson step's, not the learner's.
			return checkResult{why: fmt.Sprintf(e.CommitMissingFmt, ref, ref)}
		}
		b, ok := findImage(images, base)
		mine, theirs := diffIDs[img.ID], diffIDs[b.ID]
		switch {
		case !ok:
			return checkResult{why: fmt.Sprintf(e.ImageMissingFmt, base)}
		case mine == nil || theirs == nil:
			return checkResult{} // layers not read yet: the next picture says
		case slices.Equal(mine, theirs):
			return checkResult{why: fmt.Sprintf(e.SameLayersFmt, ref, base)}
		case len(mine) <= len(theirs) || !slices.Equal(mine[:len(theirs)], theirs):
			return checkResult{why: fmt.Sprintf(e.NotOnBaseFmt, ref, base, base)}
		}
		return checkResult{done: true}
	}
	return checkResult{}
}

func familiar(s string) string {
	if r, err := docker.ParseRef(s); err == nil {
		return r.String()
	}
	return s
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
// shows them done, and keeps each one's "what is missing".
func (m *Model) checkExercises() {
	l := m.lesson()
	if l == nil {
		return
	}
	for _, st := range l.Steps {
		if st.Kind != lessons.KindCheck {
			continue
		}
		s := m.state(stepKey{l.ID, st.Index})
		if s.status == stepDone {
			continue
		}
		r := evalCheck(m.t, st.Arg, m.images, m.containers, m.diffIDs)
		if r.done {
			s.status, s.note, s.err = stepDone, "", nil
			continue
		}
		s.why = r.why
	}
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
		lines = append(lines, wrap.Render(m.st.Shared.Render(fmt.Sprintf(m.t.Ex.HintFmt, i+1, len(hints), hints[i]))))
	}
	if s.hints < len(hints) {
		lines = append(lines, m.st.Key.Render("h")+" "+m.st.Dim.Render(m.t.Ex.HintKey))
	}
	return strings.Join(lines, "\n")
}
