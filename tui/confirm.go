package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// confirmBox asks before a cleanup, a component: it holds the plan, takes
// one key (y removes; any other key, n or esc included, keeps everything)
// and draws the question in the footer with its keys first, so that a long
// list of names never pushes them off the screen.
type confirmBox struct {
	plan *docker.CleanupPlan
	keys KeyMap
}

// Ask shows the question for plan.
func (c confirmBox) Ask(plan docker.CleanupPlan) confirmBox {
	c.plan = &plan
	return c
}

// Open reports whether a question is waiting.
func (c confirmBox) Open() bool { return c.plan != nil }

// Bindings are the question's keys.
func (c confirmBox) Bindings() []key.Binding { return []key.Binding{c.keys.Yes, c.keys.No} }

// Update takes the answer: the plan to carry out on yes, nil otherwise; the
// question is gone either way.
func (c confirmBox) Update(msg tea.KeyPressMsg) (confirmBox, *docker.CleanupPlan) {
	p := c.plan
	c.plan = nil
	if p != nil && key.Matches(msg, c.keys.Yes) {
		return c, p
	}
	return c, nil
}

// View is the question, wrapped to width: every name is read before yes.
func (c confirmBox) View(t *i18n.Strings, st *Styles, width int) string {
	return strings.Join(c.Lines(t, st, width), "\n")
}

// maxConfirmLines bounds the question's height; a longer list ends with
// how many more there are (layerlab cleanup --dry-run lists them all).
const maxConfirmLines = 12

// Lines are the question's lines at width.
func (c confirmBox) Lines(t *i18n.Strings, st *Styles, width int) []string {
	p := c.plan
	if p == nil {
		return nil
	}
	var names []string
	for _, it := range p.Items {
		names = append(names, it.Name)
	}
	q := tr(t.CleanupAskFmt, p.Count(docker.ItemContainer), p.Count(docker.ItemTag)+p.Count(docker.ItemImage), strings.Join(names, ", "))
	keys := st.Key.Render(c.keys.Yes.Help().Key) + " " + t.Yes + "  " + st.Key.Render(c.keys.No.Help().Key) + " " + t.No
	lines := strings.Split(lipgloss.NewStyle().Width(max(width, 10)).Render(keys+"  "+st.Warn.Render(q)), "\n")
	if len(lines) > maxConfirmLines {
		more := tr(t.ConfirmMoreFmt, len(lines)-maxConfirmLines+1)
		lines = append(lines[:maxConfirmLines-1], ansi.Truncate(st.Dim.Render(more), width, "…"))
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(strings.TrimRight(l, " "), width, "")
	}
	return lines
}
