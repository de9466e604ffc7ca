package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/tui/render"
)

// confirmBox asks before a cleanup, a component: it holds the plan, takes
// one key (y removes; any other key, n or esc included, keeps everything)
// and draws the question in the footer with its keys first, so that a long
// list of names never pushes them off the screen.
type confirmBox struct {
	common
	plan *docker.CleanupPlan
	// yes is the plan the last key said yes to.
	yes   *docker.CleanupPlan
	width int
	// kept says what the cleanup keeps and why (cleanupKept), "" if nothing.
	kept string
}

// SetSize is the room the question has: the screen's width (it takes at
// most maxConfirmLines rows).
func (c *confirmBox) SetSize(w, _ int) { c.width = w }

// Ask shows the question for plan.
func (c confirmBox) Ask(plan docker.CleanupPlan, kept string) confirmBox {
	c.plan, c.kept = &plan, kept
	return c
}

// Open reports whether a question is waiting.
func (c confirmBox) Open() bool { return c.plan != nil }

// Bindings are the question's keys.
func (c confirmBox) Bindings() []key.Binding { return []key.Binding{c.keys.Yes, c.keys.No} }

// Update takes the answer to a question waiting: the plan to carry out on
// yes (Answer), nothing otherwise; the question is gone either way.
func (c confirmBox) Update(msg tea.Msg) (confirmBox, tea.Cmd) {
	c.yes = nil
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || c.plan == nil {
		return c, nil
	}
	p := c.plan
	c.plan = nil
	if key.Matches(k, c.keys.Yes) {
		c.yes = p
	}
	return c, nil
}

// Answer is the plan the last key said yes to, nil if it said no.
func (c confirmBox) Answer() *docker.CleanupPlan { return c.yes }

// View is the question, wrapped to the width: every name is read before yes.
func (c confirmBox) View() string {
	return strings.Join(c.Lines(), "\n")
}

// maxConfirmLines bounds the question's height; a longer list ends with
// how many more there are (layerlab cleanup --dry-run lists them all).
const maxConfirmLines = 12

// Lines are the question's lines at the width.
func (c confirmBox) Lines() []string {
	t, st, width := c.t, c.st, c.width
	p := c.plan
	if p == nil {
		return nil
	}
	var names []string
	for _, it := range p.Items {
		names = append(names, it.Name)
	}
	q := tr(t.CleanupAskFmt, p.Count(docker.ItemContainer), p.Count(docker.ItemTag)+p.Count(docker.ItemImage), strings.Join(names, ", "))
	if n := p.Count(docker.ItemVolume); n > 0 {
		q = tr(t.Vol.CleanupAskFmt, p.Count(docker.ItemContainer), p.Count(docker.ItemTag)+p.Count(docker.ItemImage), n, strings.Join(names, ", "))
	}
	if c.kept != "" {
		q += " " + c.kept
	}
	keys := st.Key.Render(c.keys.Yes.Help().Key) + " " + t.Yes + "  " + st.Key.Render(c.keys.No.Help().Key) + " " + t.No
	lines := strings.Split(render.WrapKeep(lipgloss.NewStyle().Width(max(width, 10)), keys+"  "+st.Warn.Render(q)), "\n")
	if len(lines) > maxConfirmLines {
		more := tr(t.ConfirmMoreFmt, len(lines)-maxConfirmLines+1)
		lines = append(lines[:maxConfirmLines-1], ansi.Truncate(st.Dim.Render(more), width, "…"))
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(strings.TrimRight(l, " "), width, "")
	}
	return lines
}
