package tui

import (
	"errors"
	"slices"

	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"

	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
)

type (
	// cleanupPlanMsg brings what a lesson made, for the learner to confirm.
	cleanupPlanMsg struct {
		plan docker.CleanupPlan
		err  error
	}
	// cleanupDoneMsg ends a confirmed cleanup.
	cleanupDoneMsg struct {
		lesson  string
		results []docker.CleanupResult
	}
)

// tagCmd tags, never moving a name of the learner's (see commitCmd).
func rmiCmd(c Daemon, k engine.StepKey, target string, force bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		res, err := c.RemoveImage(ctx, target, force)
		return stepDoneMsg{engine.Outcome{Key: k, Err: err, At: time.Now(), Removed: &res}}
	}
}

func cleanupPlanCmd(c Daemon, lesson string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		p, err := c.PlanCleanup(ctx, lesson)
		// x in this window: another window's containers (it may be open,
		// its next step needs them) are that window's, and layerlab
		// cleanup's; not this window's to remove.
		kept := p.Items[:0]
		for _, it := range p.Items {
			if it.Kind != docker.ItemContainer || c.ThisWindows(it.ID) {
				kept = append(kept, it)
			}
		}
		p.Items = kept
		return cleanupPlanMsg{plan: p, err: err}
	}
}

func cleanupCmd(c Daemon, p docker.CleanupPlan) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*opTimeout)
		defer cancel()
		return cleanupDoneMsg{lesson: p.Lesson, results: c.Cleanup(ctx, p, nil)}
	}
}

// runRemoval starts an rmi step, forced or not.
func (m Model) runRemoval(l *lessons.Lesson, st *lessons.Step, force bool) (Model, tea.Cmd) {
	k := engine.StepKey{Lesson: l.ID, Index: st.Index}
	s := m.work.eng.State(k)
	target := m.work.eng.RmiTarget(l, st, m.pic.images)
	if target == "" {
		s.Note = engine.NoteNoDangling
		return m, nil
	}
	m.work.eng.BeginRemoval(k, m.opts.Now(), target, force)
	delete(m.pic.removal, l.ID)
	m.work.busy = &k
	return m, tea.Batch(rmiCmd(m.opts.Client, k, target, force), m.look.spin.Tick)
}

// canForce reports whether the selected step is an rmi the daemon refused
// because a container uses the image: then f retries it with -f.
func (m Model) canForce() (*lessons.Lesson, *lessons.Step, bool) {
	l := m.lesson()
	if l == nil || len(l.Steps) == 0 {
		return nil, nil, false
	}
	st := l.Steps[m.work.eng.Selected[l.ID]]
	s := m.work.eng.Steps[engine.StepKey{Lesson: l.ID, Index: st.Index}]
	if st.Kind != lessons.KindRmi || s == nil || s.Err == nil || s.Forced {
		return l, st, false
	}
	var de *docker.Error
	ok := errors.As(s.Err, &de) && (de.Conflict == docker.ConflictContainer || de.Conflict == docker.ConflictRunning)
	return l, st, ok
}

// removalView is the removed image as it was, each layer marked deleted or
// kept, with the images that still use the kept ones.
func (m Model) removalView(r *docker.RemoveResult, width int) []string {
	t, st := m.t, m.st
	var out []string
	title := st.PaneTitle.Render(t.RemovedTitle) + st.Dim.Render(" · ") + st.Bold.Render(r.Target)
	out = append(out, ansi.Truncate(title, width, "…"))
	wrap := lipgloss.NewStyle().Width(width)
	if !r.ImageDeleted {
		out = append(out, strings.Split(wrap.Render(st.Shared.Render(tr(t.RemovedUntagOnlyFmt, docker.ShortID(r.ImageID)))), "\n")...)
		return append(out, "")
	}
	users := m.layerUsers(r)
	out = append(out, st.Dim.Render("┌ "+t.LayersTop))
	for i := len(r.Layers) - 1; i >= 0; i-- {
		l := r.Layers[i]
		block := st.LayerBlock(l.DiffID)
		mark := st.Shared.Render(t.LayerKept)
		if l.Deleted {
			block, mark = st.Fail.Render("✗"), st.Fail.Render(t.LayerDeleted)
		}
		out = append(out, ansi.Truncate(st.Dim.Render("│ ")+fmt.Sprintf("%s %s  %s  ", block, docker.ShortID(l.DiffID), render.HumanSize(l.Size))+mark, width, "…"))
		if l.Instruction != "" {
			out = append(out, ansi.Truncate(st.Dim.Render("│   "+render.LayerWhat(t, l.Layer)), width, "…"))
		}
		if !l.Deleted && len(users[i]) > 0 {
			out = append(out, ansi.Truncate(st.Dim.Render("│   ")+st.Shared.Render(tr(t.LayerKeptFmt, strings.Join(users[i], ", "))), width, "…"))
		}
	}
	out = append(out, st.Dim.Render("└ "+t.LayersBase))
	if r.LayersChecked {
		note := t.LayersCheckedNote
		if m.daemon.engine.Podman {
			note = t.LayersCheckedNotePodman
		}
		out = append(out, strings.Split(wrap.Render(st.Dim.Render(note)), "\n")...)
	}
	return append(out, "")
}

// layerUsers names, for each layer of a removed image, the images still on the
// daemon whose stacks start with the same layers (so they hold that layer).
func (m Model) layerUsers(r *docker.RemoveResult) map[int][]string {
	users := map[int][]string{}
	diff := make([]string, len(r.Layers))
	for i, l := range r.Layers {
		diff[i] = l.DiffID
	}
	seen := map[string]bool{r.ImageID: true}
	for _, im := range m.pic.images {
		if seen[im.ID] {
			continue
		}
		seen[im.ID] = true
		ids := m.pic.diffIDs[im.ID]
		for i := range diff {
			if i >= len(ids) || ids[i] != diff[i] {
				break
			}
			users[i] = append(users[i], im.Ref())
		}
	}
	for i := range users {
		sort.Slice(users[i], func(a, b int) bool { return preferTagged(users[i][a], users[i][b]) })
		if len(users[i]) > 2 {
			users[i] = append(users[i][:2], fmt.Sprintf("+%d", len(users[i])-2))
		}
	}
	return users
}

// preferTagged orders names with tags before bare ids, and short names
// (busybox:latest) before long ones (127.0.0.1:5555/library/busybox:latest).
func preferTagged(a, b string) bool {
	ta, tb := strings.Contains(a, ":"), strings.Contains(b, ":")
	if ta != tb {
		return ta
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// yoursOf are the images on the daemon by a name lesson l makes (a commit,
// tag or build step's, or the lesson's own name it left to the learner)
// that the plan neither removes nor keeps: not layerlab's (its ledger does
// not have them: the learner made, loaded or retagged them), so x keeps
// them, and says so.
func yoursOf(l *lessons.Lesson, s *engine.Session, images []docker.Image, p docker.CleanupPlan) []string {
	known := map[string]bool{}
	for _, it := range p.Items {
		known[it.Name] = true
	}
	for _, k := range p.Kept {
		known[k.Name] = true
		for _, t := range k.Tags {
			known[t] = true
		}
	}
	var names []string
	for _, st := range l.Steps {
		var ref string
		switch st.Kind {
		case lessons.KindCommit, lessons.KindTag:
			ref = st.As
		case lessons.KindBuild:
			ref = st.Tag
		default:
			continue
		}
		for _, n := range []string{docker.Familiar(ref), docker.Familiar(s.Named(ref))} {
			if n == "" || known[n] || slices.Contains(names, n) {
				continue
			}
			for _, im := range images {
				if im.Ref() == n {
					names = append(names, n)
					break
				}
			}
		}
	}
	return names
}

// cleanupKept says what x keeps and why: the plan's (a volume a container
// that stays mounts, an image the learner tagged too, a tag that moved)
// and the learner's own images by the lesson's names; "" when nothing.
func cleanupKept(t *i18n.Strings, p docker.CleanupPlan, yours []string) string {
	var why []string
	for _, k := range p.Kept {
		switch k.Why {
		case docker.KeptVolumeInUse:
			why = append(why, tr(t.KeptInUseFmt, k.Name, strings.Join(k.Tags, ", ")))
		case docker.KeptTheirTags:
			why = append(why, tr(t.KeptTheirTagsFmt, strings.Join(k.Tags, ", ")))
		default:
			why = append(why, tr(t.KeptMovedFmt, k.Name))
		}
	}
	for _, n := range yours {
		why = append(why, tr(t.KeptYoursFmt, n))
	}
	if len(why) == 0 {
		return ""
	}
	return tr(t.CleanupKeepsFmt, strings.Join(why, "; "))
}

// cleanupSummary says in one line what a cleanup did.
func cleanupSummary(t *i18n.Strings, results []docker.CleanupResult) string {
	removed, failed := 0, 0
	var why string
	for _, r := range results {
		if r.Err != nil {
			failed++
			if why == "" {
				why = r.Item.Name + ": " + i18n.Explain(t, r.Err, r.Item.Name, "").Title
			}
			continue
		}
		removed++
	}
	s := tr(t.CleanupDoneFmt, removed)
	if failed > 0 {
		s += " " + tr(t.CleanupKeptFmt, failed, why)
	}
	return s
}
