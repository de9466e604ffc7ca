package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui/render"
)

// The layers pane as a component, with no model and no daemon: its keys
// choose a layer, open and scroll its listing, and close it; the files are
// read once per image, a read the learner walked away from is stopped and
// its late answer dropped.
func TestLayersPaneOnItsOwn(t *testing.T) {
	t.Parallel()
	strs := i18n.For("en")
	st := render.NewStyles(true)
	stack := docker.LayerStack{ID: "sha256:img1", Layers: []docker.Layer{
		{DiffID: "sha256:base", Size: 100, Instruction: "COPY busybox /bin/busybox"},
		{Meta: true, Instruction: "ENV PATH=/bin"},
		{DiffID: "sha256:top", Size: 10, Instruction: "RUN echo hi > /etc/motd"},
	}}
	var reads atomic.Int32
	var lastCtx context.Context
	read := func(ctx context.Context, id string) ([]docker.LayerFiles, error) {
		reads.Add(1)
		lastCtx = ctx
		var files []docker.LayerFile
		for i := range 30 {
			files = append(files, docker.LayerFile{Path: "/etc/f" + itoa(100+i), Kind: docker.Added, Size: 3})
		}
		return []docker.LayerFiles{{DiffID: "sha256:base", Files: files}, {DiffID: "sha256:top"}}, nil
	}
	p := newLayersPane(read)
	p.common = common{t: &strs, st: &st, keys: DefaultKeyMap(strs)}
	p.SetSize(40, 12)
	p.SetStack(stack, true)
	key := func(p layersPane, k string) (layersPane, tea.Cmd, bool) {
		p, cmd := p.Update(press(k))
		return p, cmd, p.Took()
	}
	view := func(p layersPane) ([]string, bool) { return strings.Split(p.View(), "\n"), p.Shows() }

	if p.Chosen() != 0 || p.Listing() {
		t.Fatal("a new pane does not start on the top layer, with the stack shown")
	}
	p, _, _ = key(p, "j")
	p, _, _ = key(p, "j") // two file layers: the bottom one is as far as it goes
	if p.Chosen() != 1 {
		t.Fatalf("chosen %d, want the bottom layer (1)", p.Chosen())
	}
	if _, _, handled := key(p, "x"); handled {
		t.Error("the pane took a key that is the lesson's")
	}
	p, cmd, _ := key(p, "enter")
	if cmd == nil || !p.Listing() {
		t.Fatal("enter did not open the listing and read the files")
	}
	if lines, _ := view(p); !strings.Contains(ansi.Strip(strings.Join(lines, "\n")), strs.FilesLoading) {
		t.Errorf("the listing does not say it is reading:\n%s", strings.Join(lines, "\n"))
	}
	p, _ = p.Update(cmd())
	lines, ok := view(p)
	out := ansi.Strip(strings.Join(lines, "\n"))
	if !ok || !strings.Contains(out, "COPY busybox") || !strings.Contains(out, "A /etc/f100") || len(lines) > 12 {
		t.Fatalf("the listing of the bottom layer, in 12 lines:\n%s", out)
	}
	for range 40 {
		p, _, _ = key(p, "j")
	}
	lines, _ = view(p)
	if out := ansi.Strip(strings.Join(lines, "\n")); !strings.Contains(out, "/etc/f129") || strings.Contains(out, "/etc/f100") {
		t.Errorf("↓ does not scroll to the last screenful:\n%s", out)
	}
	if b := p.Bindings(); len(b) == 0 || b[0].Help().Desc != strs.KeyScrollFiles {
		t.Error("the listing's keys are not the pane's bindings")
	}
	p, _, _ = key(p, "esc")
	if p.Listing() || p.Chosen() != 1 {
		t.Error("esc did not go back to the stack with the layer still chosen")
	}
	if _, cmd, _ = key(p, "enter"); cmd != nil || reads.Load() != 1 {
		t.Error("the image's files were read again")
	}

	// Another image: esc before its files come stops the read.
	other := stack
	other.ID = "sha256:img2"
	p.SetStack(other, true)
	p, cmd, _ = key(p, "enter")
	p, _, _ = key(p, "esc")
	msg := cmd().(filesMsg)
	if lastCtx.Err() == nil {
		t.Error("closing the listing did not stop the read")
	}
	if p, _ = p.Update(msg); p.files[other.ID].layers != nil {
		t.Error("a late answer was kept")
	}
	if p = p.Reset(); p.Chosen() != 0 || p.Listing() {
		t.Error("Reset does not choose the top layer again")
	}
}
