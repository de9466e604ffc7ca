package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// stackEntry is what the panel knows about one image reference.
type stackEntry struct {
	stack   docker.LayerStack
	found   bool
	loading bool
	err     error
}

// layersPanel draws an image as its pile of layers, top (newest) first as the
// filesystem stacks them, with what each layer shares with other local images.
type layersPanel struct {
	ref    string
	entry  stackEntry
	others map[string][]string // diff id -> other image refs that contain it
	// sharing lists the other images that share at least one layer, with their layers.
	sharing []imageLayers
	// mine holds the diff ids of the image's own layers.
	mine  map[string]bool
	isNew map[string]bool
	// extra lines drawn under the stack: the lesson's containers.
	extra []string
	// before are lines drawn above it: the lesson's last removal.
	before []string
	// marks say which build step made each history entry (by index).
	marks map[int]string
	// pull is a pull of ref in progress: the panel grows as its layers arrive.
	pull *docker.PullProgress
	// kit is a BuildKit build in progress: its numbered instructions, each
	// as it finishes, over base, the stack of the image it starts FROM.
	kit  *docker.BuildProgress
	base stackEntry
	// sel is the chosen layer, counted from the top among file layers (-1: none).
	sel int
	// pulledHere is true when a step of the open lesson pulls ref: otherwise
	// a missing image is not something this lesson's steps will bring.
	pulledHere bool
	// madeIn is the step (1-based) of the open lesson that makes ref by
	// madeBy (docker commit, docker build, docker tag); 0 if none does.
	madeIn int
	madeBy string
	// noDaemon says why the daemon cannot be asked ("" when it can): then
	// the panel cannot tell whether an image is there.
	noDaemon string
}

type imageLayers struct {
	ref     string
	diffIDs []string
}

// sharedIndex finds, for each layer of the stack, the other images holding
// it, named as the learner knows them first (knownFirst: known are the
// lesson's names); an image with no name is called dangling (name).
func sharedIndex(stack docker.LayerStack, images []docker.Image, diffIDs map[string][]string, known map[string]bool, dangling func(string) string) (others map[string][]string, sharing []imageLayers, mine map[string]bool) {
	mine = map[string]bool{}
	for _, l := range stack.Layers {
		if !l.Meta {
			mine[l.DiffID] = true
		}
	}
	before := knownFirst(known)
	// One name per image (an image with two tags is one image): the one
	// the learner knows best.
	best := map[string]string{}
	var order []string
	for _, im := range images {
		if im.ID == stack.ID {
			continue
		}
		cur, ok := best[im.ID]
		if !ok {
			order = append(order, im.ID)
		}
		if !ok || before(im.Ref(), cur) {
			best[im.ID] = im.Ref()
		}
	}
	byLayer := map[string][]string{}
	for _, id := range order {
		ids := diffIDs[id]
		shares := false
		for _, d := range ids {
			if mine[d] {
				byLayer[d] = append(byLayer[d], best[id])
				shares = true
			}
		}
		if shares {
			sharing = append(sharing, imageLayers{ref: best[id], diffIDs: ids})
		}
	}
	sort.Slice(sharing, func(i, j int) bool { return before(sharing[i].ref, sharing[j].ref) })
	name := func(ref string) string {
		if !strings.Contains(ref, ":") {
			return dangling(ref) // docker.Image.Ref of an image with no name: its short id
		}
		return ref
	}
	for i := range sharing {
		sharing[i].ref = name(sharing[i].ref)
	}
	others = map[string][]string{}
	for d, refs := range byLayer {
		// Name the image the learner knows first: "shared: busybox:1.36"
		// says more than a mirror's address or an id.
		sort.SliceStable(refs, func(i, j int) bool { return before(refs[i], refs[j]) })
		for _, r := range refs {
			others[d] = append(others[d], name(r))
		}
	}
	return others, sharing, mine
}

// knownFirst orders image names as a learner knows them: the lesson's own
// names (known), then Docker Hub's (busybox:1.36), then another registry's
// (a mirror's 127.0.0.1:5555/library/busybox:1.36), then images with no
// name (a short id); shorter names first within each.
func knownFirst(known map[string]bool) func(a, b string) bool {
	rank := func(ref string) int {
		switch {
		case !strings.Contains(ref, ":"):
			return 3
		case known[docker.Familiar(ref)]:
			return 0
		}
		if r, err := docker.ParseRef(ref); err == nil && r.Domain() != "docker.io" {
			return 2
		}
		return 1
	}
	return func(a, b string) bool {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		return preferTagged(a, b)
	}
}

func (p layersPanel) view(t *i18n.Strings, st *render.Styles, width, height int) string {
	if width < 10 || height < 3 {
		return ""
	}
	wrap := lipgloss.NewStyle().Width(width)
	var lines []string
	add := func(s ...string) {
		for _, x := range s {
			lines = append(lines, strings.Split(x, "\n")...)
		}
	}
	add(p.before...)
	if len(p.before) > 0 && !p.entry.found {
		// The image just went: the removal says it all.
		add(p.extra...)
		return fitLines(lines, height, st)
	}
	title := st.PaneTitle.Render(t.LayersTab)
	if p.ref != "" {
		title += st.Dim.Render(" · ") + st.Bold.Render(p.ref)
	}
	add(ansi.Truncate(title, width, "…"))
	switch {
	case p.pull != nil:
		add(p.pullingLines(t, st, width)...)
	case p.kit != nil:
		add(p.buildingLines(t, st, width)...)
	case p.ref == "":
		add(wrap.Render(st.Dim.Render(t.LayersEmpty)))
	case !p.entry.found && p.noDaemon != "":
		add(wrap.Render(st.Dim.Render(tr(t.LayersNoDaemonFmt, p.noDaemon, p.ref))))
	case p.entry.loading && !p.entry.found:
		add(st.Dim.Render(t.LayersLoading))
	case !p.entry.found && p.madeIn > 0:
		add(wrap.Render(st.Dim.Render(tr(t.LayersMadeHereFmt, p.ref, p.madeIn, p.madeBy))))
	case !p.entry.found && p.pulledHere:
		add(wrap.Render(st.Dim.Render(tr(t.LayersMissingFmt, p.ref))))
	case !p.entry.found:
		add(wrap.Render(st.Dim.Render(tr(t.LayersNotPulledHereFmt, p.ref))))
	default:
		s := p.entry.stack
		fs := 0
		for _, l := range s.Layers {
			if !l.Meta {
				fs++
			}
		}
		// Wrapped, not cut: its size is at the end (found at 100x30).
		add(strings.Split(render.WrapKeep(wrap, st.Dim.Render(tr("%s · "+t.LayersTotalFmt, docker.ShortID(s.ID), fs, len(s.Layers)-fs, render.HumanSize(s.Size)))), "\n")...)
		add(st.Dim.Render("┌ " + t.LayersTop))
		chosen := min(p.sel, fs-1)
		for i, k := len(s.Layers)-1, 0; i >= 0; i-- {
			ls := p.layerLines(s.Layers[i], t, st, width)
			if !s.Layers[i].Meta {
				if k == chosen {
					ls[0] = st.Key.Render("›") + ansi.Cut(ls[0], 1, ansi.StringWidth(ls[0]))
				}
				k++
			}
			add(ls...)
		}
		add(st.Dim.Render("└ " + t.LayersBase))
		if cfg := configLine(s.Config); cfg != "" {
			add(wrap.Render(st.Dim.Render(t.LayersConfig+": ") + cfg))
		}
		// The lesson's containers (their writable layers, which the lesson
		// points at) before the other images, which a short panel cuts.
		add(p.extra...)
		if len(p.sharing) > 0 {
			add("", wrap.Render(st.Dim.Render(t.LayersSharedWith)))
		}
		for _, o := range p.sharing {
			add(p.sharingLine(o, st, width))
		}
		return fitLines(lines, height, st)
	}
	add(p.extra...)
	return fitLines(lines, height, st)
}

// fitLines cuts lines to height, ending with "…" when some were cut.
func fitLines(lines []string, height int, st *render.Styles) string {
	if len(lines) > height {
		lines = append(lines[:height-1], st.Dim.Render("…"))
	}
	return strings.Join(lines, "\n")
}

func (p layersPanel) layerLines(l docker.Layer, t *i18n.Strings, st *render.Styles, width int) []string {
	if l.Meta {
		s := fmt.Sprintf("│ · %s %s", padCells(t.LayerMeta, 5), l.Instruction)
		if mk := p.marks[l.Index]; mk != "" {
			mark := " " + mk
			return []string{st.Meta.Render(ansi.Truncate(s, max(width-lipgloss.Width(mark), 8), "…")) + st.Shared.Render(mark)}
		}
		return []string{st.Meta.Render(ansi.Truncate(s, width, "…"))}
	}
	block := st.LayerBlock(l.DiffID)
	head := fmt.Sprintf("%s %s  %s", block, docker.ShortID(l.DiffID), render.HumanSize(l.Size))
	var marks []string
	if p.isNew[l.DiffID] && p.marks[l.Index] == "" {
		// (A build's mark says new or from the cache itself.)
		marks = append(marks, st.New.Render(t.LayerNew))
	}
	if mk := p.marks[l.Index]; mk != "" {
		marks = append(marks, st.Shared.Render(mk))
	}
	if o := p.others[l.DiffID]; len(o) > 0 {
		who := o[0]
		if len(o) > 1 {
			who = fmt.Sprintf("%s +%d", o[0], len(o)-1)
		}
		marks = append(marks, st.Shared.Render(tr(t.LayerSharedFmt, who)))
	}
	if len(marks) > 0 {
		head += "  " + strings.Join(marks, " ")
	}
	return []string{
		ansi.Truncate(st.Dim.Render("│ ")+head, width, "…"),
		ansi.Truncate(st.Dim.Render("│   "+render.LayerWhat(t, l)), width, "…"),
	}
}

// pullingLines draw an image as a pull brings it: its layers from the
// registry's manifest, bottom first, each one waiting, on its way, already on
// disk (shared with an image here) or arrived. The ids are the downloads'
// (compressed) digests; the image's own layer ids replace them when it ends.
func (p layersPanel) pullingLines(t *i18n.Strings, st *render.Styles, width int) []string {
	pr := p.pull
	finished, existed, all := pr.Counts()
	lines := []string{st.Dim.Render(ansi.Truncate(tr(t.PullPanelCountsFmt, all, existed, finished-existed, all-finished), width, "…"))}
	if all == 0 {
		return append(lines, st.Dim.Render(t.PullPanelAsking))
	}
	lines = append(lines, st.Dim.Render("┌ "+t.LayersTop))
	for i := len(pr.Layers) - 1; i >= 0; i-- {
		l := pr.Layers[i]
		var block, what string
		switch {
		case l.Phase == docker.PhaseExists:
			block, what = st.Shared.Render("■"), st.Shared.Render(t.PullPanelExists)
		case l.Phase == docker.PhaseComplete:
			block, what = st.New.Render("■"), render.HumanSize(l.Size)+"  "+st.New.Render(t.PullPanelArrived)
		case l.Phase == docker.PhaseWaiting:
			block, what = st.EmptyBlock(), st.Dim.Render(t.PullPanelWaiting)
		default:
			block, what = st.Bold.Render("▒"), st.Dim.Render(tr(t.PullPanelComingFmt, int(l.Fraction()*100)))
		}
		lines = append(lines, ansi.Truncate(st.Dim.Render("│ ")+block+" "+l.ID+"  "+what, width, "…"))
	}
	lines = append(lines, st.Dim.Render("└ "+t.LayersBase))
	return append(lines, lipgloss.NewStyle().Width(width).Render(st.Dim.Render(t.PullPanelNote)))
}

func (p layersPanel) sharingLine(o imageLayers, st *render.Styles, width int) string {
	var b strings.Builder
	b.WriteString(st.Shared.Render(o.ref))
	for _, d := range o.diffIDs {
		b.WriteByte(' ')
		if p.mine[d] {
			b.WriteString(st.LayerBlock(d))
		} else {
			b.WriteString(st.EmptyBlock())
		}
	}
	return ansi.Truncate(b.String(), width, "…")
}

func configLine(c docker.ImageConfig) string {
	var parts []string
	if len(c.Entrypoint) > 0 {
		parts = append(parts, "ENTRYPOINT "+execForm(c.Entrypoint))
	}
	if len(c.Cmd) > 0 {
		parts = append(parts, "CMD "+execForm(c.Cmd))
	}
	for _, e := range c.Env {
		parts = append(parts, "ENV "+e)
	}
	if len(c.Exposed) > 0 {
		parts = append(parts, "EXPOSE "+strings.Join(c.Exposed, " "))
	}
	return strings.Join(parts, " · ")
}

func execForm(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// panelStack is the stack the panel shows, if it is there.
func (m Model) panelStack() (docker.LayerStack, bool) {
	e := m.pic.stacks[m.subject()]
	return e.stack, e.found
}

// buildingLines draw a BuildKit build as it goes: BuildKit commits no image
// per step, so the panel stacks what it has done so far over the image it
// starts FROM: each numbered instruction as it finishes (CACHED, DONE), the
// one running, the ones to come; the metadata entries (ENV, CMD…) come with
// the image's history when it is done.
func (p layersPanel) buildingLines(t *i18n.Strings, st *render.Styles, width int) []string {
	var lines []string
	lines = append(lines, st.Dim.Render("┌ "+t.LayersTop))
	steps := p.kit.Steps
	numbered := func(i int) string {
		s := steps[i]
		var end string
		switch {
		case s.Done && s.Cached:
			end = st.Shared.Render("CACHED")
		case s.Done:
			end = st.New.Render("DONE")
		case p.kit.Current() == &p.kit.Steps[i]:
			end = st.Running.Render(t.DF.StepRunning)
		default:
			end = st.Dim.Render("…")
		}
		head := fmt.Sprintf("│ ■ [%d/%d] %s", s.Index, s.Total, s.Instruction)
		if !s.Done {
			head = st.Dim.Render(head)
		}
		return ansi.Truncate(head, max(width-lipgloss.Width(end)-1, 8), "…") + " " + end
	}
	// The settings (ENV, CMD, LABEL…) between them, from the Dockerfile sent:
	// BuildKit set them when it read it, so they are there from the start.
	var between [][]string // before numbered step j (1-based), top first
	if an := dockerfile.Analyze(p.kit.Context.Source); an.Stages() == 1 && len(steps) > 0 {
		between = make([][]string, len(steps)+1)
		j := 0
		for _, l := range an.Lines {
			switch {
			case l.Effect == dockerfile.EffectBase || l.Effect == dockerfile.EffectLayer:
				j++
			case l.Effect == dockerfile.EffectMeta && j >= 1 && j <= len(steps):
				meta := ansi.Truncate(st.Meta.Render(fmt.Sprintf("│ · %s %s %s", padCells(t.LayerMeta, 5), l.Keyword, l.Args)), width, "…")
				between[j] = append([]string{meta}, between[j]...)
			}
		}
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if between != nil {
			lines = append(lines, between[i+1]...)
		}
		if i >= 1 {
			lines = append(lines, numbered(i))
		}
	}
	if len(steps) > 0 {
		lines = append(lines, ansi.Truncate(st.Dim.Render(fmt.Sprintf("│ [%d/%d] %s", steps[0].Index, steps[0].Total, steps[0].Instruction)), width, "…"))
	}
	if p.base.found {
		for i := len(p.base.stack.Layers) - 1; i >= 0; i-- {
			l := p.base.stack.Layers[i]
			if l.Meta {
				continue
			}
			lines = append(lines, ansi.Truncate(st.Dim.Render(fmt.Sprintf("│   ■ %s  %s", docker.ShortID(l.DiffID), render.HumanSize(l.Size))), width, "…"))
		}
	}
	lines = append(lines, st.Dim.Render("└ "+t.LayersBase))
	wrap := lipgloss.NewStyle().Width(width)
	lines = append(lines, strings.Split(wrap.Render(st.Dim.Render(t.BuildPanelNote)), "\n")...)
	return lines
}

// padCells pads s with spaces to n cells (a Korean letter takes two), as
// %-Ns would pad it to n letters.
func padCells(s string, n int) string {
	return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
}
