package tui

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
)

// What is inside a layer: with the layers panel in focus (tab), ↑/↓ choose
// a layer and enter lists the files it adds, changes and deletes, read from
// the daemon as `docker save` exports the image, as far as that layer (the
// layers below it tell its added paths from its changed ones), or at once
// from the layer index when a layer was read before.

// filesEntry is the files of one image's layers, bottom first, as far as
// read, by image id; cancel stops reading them while loading, progress is
// how far the read is.
type filesEntry struct {
	layers   []docker.LayerFiles
	loading  bool
	err      error
	cancel   context.CancelFunc
	progress docker.FilesProgress
	// layer is the diff id the read in flight wants ("": every layer).
	layer string
	// all: layers holds every layer of the image (the top one was read);
	// wantAll: the read in flight reads every layer.
	all, wantAll bool
}

// has reports whether the entry lists the layer with diffID.
func (e filesEntry) has(diffID string) bool {
	for _, lf := range e.layers {
		if lf.DiffID == diffID {
			return true
		}
	}
	return false
}

type filesMsg struct {
	id     string
	layers []docker.LayerFiles
	err    error
}

// aheadMsg says a read-ahead may start (gen: unless another replaced it),
// and aheadDoneMsg that it ended.
type aheadMsg struct {
	gen int
	id  string
}

type aheadDoneMsg struct {
	gen    int
	id     string
	layers []docker.LayerFiles
	err    error
}

// aheadWait is how long a read-ahead waits after the step that made an
// image: the learner reads the step's card, the daemon is idle.
const aheadWait = 1500 * time.Millisecond

// ahead is the read-ahead in flight, shared by the model's copies.
type ahead struct {
	on     bool
	gen    int
	cancel context.CancelFunc
}

// filesProgressMsg is how far a files read is; next waits for more.
type filesProgressMsg struct {
	id       string
	progress docker.FilesProgress
	next     tea.Cmd
}

// filesTimeout bounds reading an image's layers (a large image streams
// hundreds of megabytes).
const filesTimeout = 2 * time.Minute

// filesView is the panel's listing of one layer's files.
type filesView struct {
	layer docker.Layer
	entry filesEntry
	top   int
}

// layersPane is the layers panel's own part, a component: with the focus
// (tab) it owns the layer chosen in the stack, the listing of that layer's
// files and its scroll, and the files read so far, by image id. What the
// stack looks like is the model's to say (layersPanel); which layer is
// chosen and what enter, ↑/↓ and esc do there is the pane's.
type layersPane struct {
	common
	// stack is the image the panel shows (ok: there is one), given by the
	// owner (SetStack); read reads an image's files from the daemon.
	stack   docker.LayerStack
	stackOK bool
	read    filesReader
	// index keeps layers' listings between reads (nil: none); every paces
	// a read's progress on screen.
	index *docker.LayerIndex
	every time.Duration
	// ahead reads the layers of a new image into the index in the
	// background while nothing else needs the daemon.
	ahead *ahead
	// took: the last key was the pane's (the others are the lesson's).
	took bool
	// width and height are the listing's room: the panel's inner width and
	// its lines under the panel's title.
	width, height int
	// sel is the chosen layer, counted from the top (0: the top one); open
	// is the image whose chosen layer's files are listed ("" when the stack
	// is shown), scrolled to top.
	sel  int
	open string
	top  int
	// files are the layers' files by image id: shared by the model's copies,
	// as a cache is.
	files map[string]filesEntry
}

func newLayersPane(read filesReader, index *docker.LayerIndex, every time.Duration, readAhead bool) layersPane {
	return layersPane{read: read, index: index, every: every, files: map[string]filesEntry{}, ahead: &ahead{on: readAhead}}
}

// ReadAhead reads the layers of image id into the layer index in the
// background, a moment after the step that made it, so that a layer the
// learner opens then is listed at once; StopAhead (any step that needs the
// daemon) stops it. Nothing is read without an index, when read-ahead is
// off, or when the image's files are known already.
func (p layersPane) ReadAhead(id string) tea.Cmd {
	if p.index == nil || !p.ahead.on || id == "" {
		return nil
	}
	if e, ok := p.files[id]; ok && (e.loading || e.err == nil) && len(e.layers) > 0 {
		return nil
	}
	p.StopAhead()
	p.ahead.gen++
	gen := p.ahead.gen
	return tea.Tick(aheadWait, func(time.Time) tea.Msg { return aheadMsg{gen: gen, id: id} })
}

// StopAhead stops a read-ahead (waiting or reading).
func (p layersPane) StopAhead() {
	p.ahead.gen++
	if p.ahead.cancel != nil {
		p.ahead.cancel()
		p.ahead.cancel = nil
	}
}

// startAhead reads, for aheadMsg, unless it was stopped or replaced.
func (p layersPane) startAhead(msg aheadMsg) tea.Cmd {
	if msg.gen != p.ahead.gen {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), filesTimeout)
	p.ahead.cancel = cancel
	read, index := p.read, p.index
	return func() tea.Msg {
		defer cancel()
		layers, err := read(ctx, msg.id, docker.FilesOptions{Index: index})
		return aheadDoneMsg{gen: msg.gen, id: msg.id, layers: layers, err: err}
	}
}

// SetStack gives the pane the image the panel shows (ok false: none).
func (p *layersPane) SetStack(st docker.LayerStack, ok bool) { p.stack, p.stackOK = st, ok }

// Took reports whether the last key was the pane's.
func (p layersPane) Took() bool { return p.took }

// SetSize gives the listing its room: the panel's inner width, and its
// height under the title.
func (p *layersPane) SetSize(w, h int) { p.width, p.height = max(w, 1), max(h, 1) }

// Listing reports whether a layer's files are listed (rather than the stack).
func (p layersPane) Listing() bool { return p.open != "" }

// Chosen is the index of the chosen layer from the top, for the stack's view.
func (p layersPane) Chosen() int { return p.sel }

// Bindings are the pane's keys: the stack's, or the listing's.
func (p layersPane) Bindings() []key.Binding {
	k := p.keys
	if p.open != "" {
		return []key.Binding{k.FilesScroll, k.FilesClose, k.Tab}
	}
	return []key.Binding{k.Layer, k.Files, k.Tab, k.Back}
}

// Reset closes the listing and chooses the top layer: a lesson opened.
func (p layersPane) Reset() layersPane {
	p = p.Close()
	p.sel = 0
	return p
}

// Close closes the listing; an image still being read is not read on (a
// big image streams for seconds), and is read again when asked again.
func (p layersPane) Close() layersPane {
	if e, ok := p.files[p.open]; ok && e.loading {
		e.cancel()
		p.files[p.open] = filesEntry{layers: e.layers, all: e.all} // what was read before stays
	}
	p.open, p.top = "", 0
	return p
}

// filesReader reads the files of an image's layers, as far as o wants, until
// ctx ends (the learner closed the listing before they came: nothing more
// is read).
type filesReader func(ctx context.Context, id string, o docker.FilesOptions) ([]docker.LayerFiles, error)

// Update takes a key while the pane has the focus and shows a stack (Took
// is false for the keys it leaves to the lesson), and the files it asked
// for (filesMsg).
func (p layersPane) Update(msg tea.Msg) (layersPane, tea.Cmd) {
	p.took = false
	switch msg := msg.(type) {
	case filesMsg:
		return p.loaded(msg), nil
	case aheadMsg:
		return p, p.startAhead(msg)
	case aheadDoneMsg:
		if msg.gen == p.ahead.gen {
			p.ahead.cancel = nil
		}
		// Kept as if read on enter, unless a read on enter is under way or
		// done: the index has them either way.
		if _, ok := p.files[msg.id]; !ok && msg.err == nil {
			p.files[msg.id] = filesEntry{layers: msg.layers, all: true}
		}
		return p, nil
	case filesProgressMsg:
		if e, ok := p.files[msg.id]; ok && e.loading {
			e.progress = msg.progress
			p.files[msg.id] = e
			return p, msg.next
		}
		return p, nil
	case tea.KeyPressMsg:
		if !p.stackOK {
			return p, nil
		}
		var cmd tea.Cmd
		p, cmd, p.took = p.key(msg)
		return p, cmd
	}
	return p, nil
}

func (p layersPane) key(msg tea.KeyPressMsg) (_ layersPane, _ tea.Cmd, took bool) {
	st := p.stack
	n := len(st.FSLayers())
	switch {
	case key.Matches(msg, p.keys.Layer):
		step := 1
		if k := msg.String(); k == "up" || k == "k" {
			step = -1
		}
		if p.open != "" {
			p.top = min(max(p.top+step, 0), p.maxTop())
		} else {
			p.sel = min(max(p.sel+step, 0), max(n-1, 0))
		}
		return p, nil, true
	case key.Matches(msg, p.keys.PageDown) && p.open != "":
		p.top = min(p.top+10, p.maxTop())
		return p, nil, true
	case key.Matches(msg, p.keys.PageUp) && p.open != "":
		p.top = max(p.top-10, 0)
		return p, nil, true
	case key.Matches(msg, p.keys.Files) && n > 0:
		if p.open != "" {
			return p.Close(), nil, true
		}
		p.open, p.top = st.ID, 0
		l, _ := p.chosenLayer(st)
		p, cmd := p.Read(st.ID, l.DiffID)
		return p, cmd, true
	case key.Matches(msg, p.keys.Back) && p.open != "":
		return p.Close(), nil, true
	}
	return p, nil, false
}

// Read reads the files of the image id's layers as far as layer (every
// layer when ""), unless they are read or being read: the listing opened,
// or an exercise needs them (a "whiteout" check, every layer). A failed
// read is read again when asked again.
func (p layersPane) Read(id, layer string) (layersPane, tea.Cmd) {
	all := layer == ""
	if fs := p.stack.FSLayers(); p.stack.ID == id && len(fs) > 0 && fs[len(fs)-1].DiffID == layer {
		all = true // the top layer: every layer is read
	}
	if e, ok := p.files[id]; ok && (e.loading || (e.err == nil && (e.all || (!all && e.has(layer))))) {
		return p, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), filesTimeout)
	old := p.files[id]
	p.files[id] = filesEntry{layers: old.layers, all: old.all, loading: true, cancel: cancel, layer: layer, wantAll: all}
	read, index, every := p.read, p.index, p.every
	return p, func() tea.Msg {
		s := newStream(every, func(fp docker.FilesProgress, _ time.Time, next tea.Cmd) tea.Msg {
			return filesProgressMsg{id: id, progress: fp, next: next}
		})
		go func() {
			defer cancel()
			layers, err := read(ctx, id, docker.FilesOptions{Layer: layer, Index: index, Progress: s.publish})
			s.done <- filesMsg{id: id, layers: layers, err: err}
		}()
		return s.next()
	}
}

// loaded keeps the files read for an image the pane is still waiting for (a
// listing closed before they came dropped its wait); a read is of the layers
// as far as one layer, and the most layers known are kept.
func (p layersPane) loaded(msg filesMsg) layersPane {
	if e, ok := p.files[msg.id]; ok && e.loading {
		layers, all := msg.layers, e.wantAll && msg.err == nil
		if len(e.layers) > len(layers) {
			layers = e.layers
		}
		p.files[msg.id] = filesEntry{layers: layers, err: msg.err, all: all || e.all}
	}
	return p
}

// chosenLayer is the chosen layer of st, counted from the top.
func (p layersPane) chosenLayer(st docker.LayerStack) (docker.Layer, bool) {
	fs := st.FSLayers()
	if len(fs) == 0 {
		return docker.Layer{}, false
	}
	return fs[len(fs)-1-min(max(p.sel, 0), len(fs)-1)], true
}

// listing is what the listing shows for st, nil when it shows the stack
// (or the panel shows another image now: its stack again).
func (p layersPane) listing(st docker.LayerStack) *filesView {
	l, chosen := p.chosenLayer(st)
	if p.open == "" || !chosen || st.ID != p.open {
		return nil
	}
	return &filesView{layer: l, entry: p.files[st.ID], top: p.top}
}

// maxTop is as far as the listing scrolls: its last screenful.
func (p layersPane) maxTop() int {
	fv := p.listing(p.stack)
	if fv == nil || fv.entry.layers == nil {
		return 0
	}
	room := p.height - len(fv.header(p.t, p.st, p.width))
	return max(len(fv.layerFiles().Files)-max(room, 1), 0)
}

// Shows reports whether the pane draws a listing (View); the panel draws
// the stack otherwise.
func (p layersPane) Shows() bool { return p.stackOK && p.listing(p.stack) != nil }

// View is the listing of the shown stack's chosen layer, in the pane's
// room ("" when the panel shows the stack).
func (p layersPane) View() string {
	if !p.Shows() {
		return ""
	}
	return strings.Join(p.listing(p.stack).lines(p.t, p.st, p.width, p.height), "\n")
}

// layerFiles finds the chosen layer's files in its image's listing; while
// the layers below it are still read, its own paths (provisional reports
// that their added and changed are not told apart yet).
func (fv *filesView) layerFiles() docker.LayerFiles {
	if lf, ok := fv.provisional(); ok {
		return lf
	}
	for _, lf := range fv.entry.layers {
		if lf.DiffID == fv.layer.DiffID {
			return lf
		}
	}
	return docker.LayerFiles{}
}

// provisional is the chosen layer's own paths, read while the layers below
// it are still read.
func (fv *filesView) provisional() (docker.LayerFiles, bool) {
	e := fv.entry
	if !e.loading || e.layer != fv.layer.DiffID || e.progress.Own == nil {
		return docker.LayerFiles{}, false
	}
	return *e.progress.Own, true
}

// header is what the listing says above the paths.
func (fv *filesView) header(t *i18n.Strings, st *render.Styles, width int) []string {
	wrap := lipgloss.NewStyle().Width(width)
	l := fv.layer
	lines := []string{ansi.Truncate(st.Bold.Render(tr(t.FilesTitleFmt, docker.ShortID(l.DiffID), render.HumanSize(l.Size))), width, "…")}
	if l.Instruction != "" {
		lines = append(lines, ansi.Truncate(st.Dim.Render(render.LayerWhat(t, l)), width, "…"))
	}
	_, early := fv.provisional()
	switch {
	case fv.entry.loading && !early:
		if r := fv.entry.progress.Read; r > 0 {
			return append(lines, st.Dim.Render(t.FilesLoading), st.Dim.Render(tr(t.FilesReadFmt, render.HumanSize(r))))
		}
		return append(lines, st.Dim.Render(t.FilesLoading))
	case early:
		pr := fv.entry.progress
		lines = append(lines, strings.Split(wrap.Render(st.Dim.Render(tr(t.FilesBelowFmt, max(pr.Known-1, 0), max(pr.Wanted-1, 0), render.HumanSize(pr.Read)))), "\n")...)
		if lf := fv.layerFiles(); len(lf.Files) == 0 {
			return append(lines, st.Dim.Render(t.FilesEmpty))
		}
		return lines
	case fv.entry.err != nil:
		return append(lines, strings.Split(wrap.Render(st.Fail.Render(i18n.ErrorText(*t, fv.entry.err))), "\n")...)
	}
	lf := fv.layerFiles()
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

// lines draw a layer's files: what it is, its counts, then its paths from
// the scrolled-to one, A/C/D like docker diff.
func (fv *filesView) lines(t *i18n.Strings, st *render.Styles, width, height int) []string {
	lines := fv.header(t, st, width)
	lf := fv.layerFiles()
	_, early := fv.provisional()
	if (fv.entry.loading && !early) || fv.entry.err != nil || len(lf.Files) == 0 {
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
			size = "  " + st.Dim.Render(render.HumanSize(f.Size))
		}
		if f.Whiteout != "" {
			size = "  " + st.Dim.Render(tr(t.FilesWhiteoutFmt, path.Base(f.Whiteout)))
		}
		letter := render.ChangeStyle(st, f.Kind).Render(f.Kind.Letter())
		if early && f.Kind != docker.Deleted {
			letter = st.Dim.Render("·") // added or changed: the layers below will tell
		}
		lines = append(lines, ansi.Truncate(letter+" "+name+size, width, "…"))
	}
	if end < len(lf.Files) {
		lines = append(lines, st.Dim.Render(fmt.Sprintf("%s (%d/%d)", t.FilesMore, end, len(lf.Files))))
	}
	return lines
}
