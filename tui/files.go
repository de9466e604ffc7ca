package tui

import (
	"context"
	"fmt"
	"github.com/layerlab/layerlab/tui/i18n"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
)

// What is inside a layer: with the layers panel in focus (tab), ↑/↓ choose
// a layer and enter lists the files it adds, changes and deletes, read from
// the daemon as `docker save` exports the image, once per image.

// filesEntry is the files of one image's layers, by image id; cancel
// stops reading them while loading.
type filesEntry struct {
	layers  []docker.LayerFiles
	loading bool
	err     error
	cancel  context.CancelFunc
}

// stopFiles closes the listing; an image still being read is not read on
// (a big image streams for seconds), and is read again when asked again.
func (m *Model) stopFiles() {
	if e, ok := m.layerFiles[m.filesFor]; ok && e.loading {
		e.cancel()
		delete(m.layerFiles, m.filesFor)
	}
	m.filesFor = ""
}

type filesMsg struct {
	id     string
	layers []docker.LayerFiles
	err    error
}

// filesTimeout bounds reading an image's layers (a large image streams
// hundreds of megabytes).
const filesTimeout = 2 * time.Minute

// filesCmd reads the files of image id's layers until ctx ends (the
// learner closed the listing before they came: nothing more is read).
func filesCmd(ctx context.Context, cancel context.CancelFunc, c *docker.Client, id string) tea.Cmd {
	return func() tea.Msg {
		defer cancel()
		layers, err := c.Files(ctx, id)
		return filesMsg{id: id, layers: layers, err: err}
	}
}

// filesView is the panel's listing of one layer's files.
type filesView struct {
	layer docker.Layer
	entry filesEntry
	top   int
}

// panelStack is the stack the panel shows, if it is there.
func (m Model) panelStack() (docker.LayerStack, bool) {
	e := m.stacks[m.subject()]
	return e.stack, e.found
}

// chosenLayer is the layer chosen in the panel, counted from the top.
func (m Model) chosenLayer() (docker.Layer, bool) {
	st, ok := m.panelStack()
	if !ok {
		return docker.Layer{}, false
	}
	fs := st.FSLayers()
	if len(fs) == 0 {
		return docker.Layer{}, false
	}
	return fs[len(fs)-1-min(max(m.layerSel, 0), len(fs)-1)], true
}

// handlePanelKey takes the keys of the layers panel when it has the focus;
// handled is false for the keys it leaves to the lesson.
func (m Model) handlePanelKey(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	st, ok := m.panelStack()
	if !ok || m.running != nil {
		return m, nil, false
	}
	n := len(st.FSLayers())
	switch {
	case key.Matches(msg, m.keys.Layer):
		step := 1
		if s := msg.String(); s == "up" || s == "k" {
			step = -1
		}
		if m.filesFor != "" {
			m.filesTop = min(max(m.filesTop+step, 0), m.filesMaxTop())
		} else {
			m.layerSel = min(max(m.layerSel+step, 0), max(n-1, 0))
		}
		return m, nil, true
	case key.Matches(msg, m.keys.PageDown) && m.filesFor != "":
		m.filesTop = min(m.filesTop+10, m.filesMaxTop())
		return m, nil, true
	case key.Matches(msg, m.keys.PageUp) && m.filesFor != "":
		m.filesTop = max(m.filesTop-10, 0)
		return m, nil, true
	case key.Matches(msg, m.keys.Files) && n > 0:
		if m.filesFor != "" {
			m.stopFiles()
			return m, nil, true
		}
		m.filesFor, m.filesTop = st.ID, 0
		if e, ok := m.layerFiles[st.ID]; ok && (e.loading || e.err == nil) {
			return m, nil, true
		}
		ctx, cancel := context.WithTimeout(context.Background(), filesTimeout)
		m.layerFiles[st.ID] = filesEntry{loading: true, cancel: cancel}
		return m, filesCmd(ctx, cancel, m.opts.Client, st.ID), true
	case key.Matches(msg, m.keys.Back) && m.filesFor != "":
		m.stopFiles()
		return m, nil, true
	}
	return m, nil, false
}

// filesView is the listing the panel shows, nil when it shows the stack.
func (m Model) filesView() *filesView {
	if m.filesFor == "" || m.focus != focusLayers || m.editor != nil {
		return nil
	}
	st, ok := m.panelStack()
	l, chosen := m.chosenLayer()
	if !ok || !chosen || st.ID != m.filesFor {
		return nil // the panel shows another image now: its stack again
	}
	return &filesView{layer: l, entry: m.layerFiles[st.ID], top: m.filesTop}
}

// layerFilesOf finds the chosen layer's files in its image's listing.
func (m Model) layerFilesOf(fv *filesView) docker.LayerFiles {
	for _, lf := range fv.entry.layers {
		if lf.DiffID == fv.layer.DiffID {
			return lf
		}
	}
	return docker.LayerFiles{}
}

// filesSize is the panel's room for a listing: its width and its lines
// under the panel's title, as lessonView gives them.
func (m Model) filesSize() (width, height int) {
	_, h := m.lessonPaneSize()
	return m.panelWidth(), h - 3
}

// filesMaxTop is as far as the listing scrolls: its last screenful.
func (m Model) filesMaxTop() int {
	fv := m.filesView()
	if fv == nil || fv.entry.layers == nil {
		return 0
	}
	w, h := m.filesSize()
	room := h - len(m.filesHeader(fv, w))
	return max(len(m.layerFilesOf(fv).Files)-max(room, 1), 0)
}

// filesHeader is what the listing says above the paths.
func (m Model) filesHeader(fv *filesView, width int) []string {
	t, st := m.t, m.st
	wrap := lipgloss.NewStyle().Width(width)
	l := fv.layer
	lines := []string{ansi.Truncate(st.Bold.Render(tr(t.FilesTitleFmt, docker.ShortID(l.DiffID), humanSize(l.Size))), width, "…")}
	if l.Instruction != "" {
		lines = append(lines, ansi.Truncate(st.Dim.Render(l.Instruction), width, "…"))
	}
	switch {
	case fv.entry.loading:
		return append(lines, st.Dim.Render(t.FilesLoading))
	case fv.entry.err != nil:
		return append(lines, strings.Split(wrap.Render(st.Fail.Render(i18n.ErrorText(*t, fv.entry.err))), "\n")...)
	}
	lf := m.layerFilesOf(fv)
	var added, changed, deleted int
	for _, f := range lf.Files {
		switch f.Kind {
		case docker.Added:
			added++
		case docker.Changed:
			changed++
		case docker.Deleted:
			deleted++
		}
	}
	counts := tr(t.FilesCountsFmt, added, changed, deleted)
	if len(lf.Files) >= docker.MaxLayerFiles {
		counts += " " + tr(t.FilesCut, docker.MaxLayerFiles)
	}
	lines = append(lines, ansi.Truncate(st.Dim.Render(counts), width, "…"))
	lines = append(lines, strings.Split(wrap.Render(st.Dim.Render(t.FilesHint)), "\n")...)
	if len(lf.Files) == 0 {
		return append(lines, st.Dim.Render(t.FilesEmpty))
	}
	return lines
}

// filesLines draw a layer's files: what it is, its counts, then its paths
// from the scrolled-to one, A/C/D like docker diff.
func (m Model) filesLines(fv *filesView, width, height int) []string {
	t, st := m.t, m.st
	lines := m.filesHeader(fv, width)
	lf := m.layerFilesOf(fv)
	if fv.entry.loading || fv.entry.err != nil || len(lf.Files) == 0 {
		return lines
	}
	room := max(height-len(lines), 1)
	top := min(fv.top, len(lf.Files)-1)
	end := min(top+room, len(lf.Files))
	if end < len(lf.Files) {
		end = max(end-1, top+1) // the last line says there is more
	}
	for _, f := range lf.Files[top:end] {
		name := f.Path
		if f.Dir {
			name += "/"
		}
		if f.Link != "" {
			name += " → " + f.Link
		}
		size := ""
		if !f.Dir && f.Kind != docker.Deleted && f.Link == "" {
			size = "  " + st.Dim.Render(humanSize(f.Size))
		}
		lines = append(lines, ansi.Truncate(changeStyle(st, f.Kind).Render(f.Kind.Letter())+" "+name+size, width, "…"))
	}
	if end < len(lf.Files) {
		lines = append(lines, st.Dim.Render(fmt.Sprintf("%s (%d/%d)", t.FilesMore, end, len(lf.Files))))
	}
	return lines
}
