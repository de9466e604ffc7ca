package tui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
	read := func(ctx context.Context, id string, _ docker.FilesOptions) ([]docker.LayerFiles, error) {
		reads.Add(1)
		lastCtx = ctx
		var files []docker.LayerFile
		for i := range 30 {
			files = append(files, docker.LayerFile{Path: "/etc/f" + itoa(100+i), Kind: docker.Added, Size: 3})
		}
		return []docker.LayerFiles{{DiffID: "sha256:base", Files: files}, {DiffID: "sha256:top"}}, nil
	}
	p := newLayersPane(read, nil, 0, true)
	p.common = common{t: &strs, st: &st, keys: ptr(DefaultKeyMap(strs))}
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

// TestALayerShowsBeforeTheLayersBelowAreRead: a read goes as far as the
// chosen layer; as soon as its own tar is read its paths are listed, their
// added and changed not yet told apart (·, a deletion is a deletion), with
// how far the read is; the answer tells them apart. A lower layer is then
// known at once; a higher one is read.
func TestALayerShowsBeforeTheLayersBelowAreRead(t *testing.T) {
	t.Parallel()
	strs := i18n.For("en")
	st := render.NewStyles(true)
	stack := docker.LayerStack{ID: "sha256:img1", Layers: []docker.Layer{
		{DiffID: "sha256:base", Size: 100},
		{DiffID: "sha256:mid", Size: 10},
		{DiffID: "sha256:top", Size: 10},
	}}
	var wanted []string
	release := make(chan struct{})
	read := func(ctx context.Context, id string, o docker.FilesOptions) ([]docker.LayerFiles, error) {
		wanted = append(wanted, o.Layer)
		own := docker.LayerFiles{DiffID: o.Layer, Files: []docker.LayerFile{
			{Path: "/etc/motd", Kind: docker.Added, Size: 3}, {Path: "/etc/old", Kind: docker.Deleted}}}
		o.Progress(docker.FilesProgress{Read: 5 << 20, Known: 1, Wanted: 2, Own: &own})
		<-release
		return []docker.LayerFiles{
			{DiffID: "sha256:base", Files: []docker.LayerFile{{Path: "/etc/motd", Kind: docker.Added, Size: 1}}},
			{DiffID: "sha256:mid", Files: []docker.LayerFile{{Path: "/etc/motd", Kind: docker.Changed, Size: 3}, {Path: "/etc/old", Kind: docker.Deleted}}},
		}, nil
	}
	p := newLayersPane(read, nil, time.Millisecond, true)
	p.common = common{t: &strs, st: &st, keys: ptr(DefaultKeyMap(strs))}
	p.SetSize(60, 12)
	p.SetStack(stack, true)
	p, _ = p.Update(press("j")) // the middle layer
	p, cmd := p.Update(press("enter"))
	msg := cmd()
	pm, ok := msg.(filesProgressMsg)
	if !ok {
		t.Fatalf("the read's first news is %T", msg)
	}
	p, next := p.Update(pm)
	early := ansi.Strip(p.View())
	for _, want := range []string{"· /etc/motd", "D /etc/old", "0 of 1 read", "5.24MB"} {
		if !strings.Contains(strings.Join(strings.Fields(early), " "), want) {
			t.Errorf("early listing lacks %q:\n%s", want, early)
		}
	}
	if strings.Contains(early, "A /etc/motd") || strings.Contains(early, "C /etc/motd") {
		t.Errorf("the early listing tells added from changed before it can:\n%s", early)
	}
	close(release)
	p, _ = p.Update(next())
	done := ansi.Strip(p.View())
	if !strings.Contains(done, "C /etc/motd") || strings.Contains(done, "· /etc") {
		t.Errorf("the answer does not tell them apart:\n%s", done)
	}
	p, _ = p.Update(press("esc"))
	p, _ = p.Update(press("j")) // the bottom layer: known already
	if p, cmd = p.Update(press("enter")); cmd != nil {
		t.Error("a layer below the one read was read again")
	}
	p, _ = p.Update(press("esc"))
	p, _ = p.Update(press("k"))
	p, _ = p.Update(press("k")) // the top layer: not read yet
	if _, cmd = p.Update(press("enter")); cmd == nil {
		t.Error("the top layer, never read, is not read")
	}
	if len(wanted) != 1 || wanted[0] != "sha256:mid" {
		t.Errorf("reads wanted %v", wanted)
	}
}

// TestReadAheadFillsTheIndexUntilAStepNeedsTheDaemon: a moment after a step
// made an image its layers are read into the index (every layer, the index
// given); a step that needs the daemon stops it, waiting or reading; what it
// read is kept, so enter then lists at once. Without an index nothing is
// read ahead.
func TestReadAheadFillsTheIndexUntilAStepNeedsTheDaemon(t *testing.T) {
	t.Parallel()
	strs := i18n.For("en")
	st := render.NewStyles(true)
	stack := docker.LayerStack{ID: "sha256:img1", Layers: []docker.Layer{{DiffID: "sha256:base", Size: 100}}}
	idx := docker.OpenLayerIndex(t.TempDir(), 0)
	var got []docker.FilesOptions
	block := make(chan bool, 1)
	read := func(ctx context.Context, id string, o docker.FilesOptions) ([]docker.LayerFiles, error) {
		got = append(got, o)
		if len(block) > 0 {
			<-block
			<-ctx.Done() // a read that goes on until stopped
			return nil, ctx.Err()
		}
		return []docker.LayerFiles{{DiffID: "sha256:base", Files: []docker.LayerFile{{Path: "/bin", Kind: docker.Added, Dir: true}}}}, nil
	}
	if cmd := newLayersPane(read, nil, 0, true).ReadAhead(stack.ID); cmd != nil {
		t.Error("a pane without an index reads ahead")
	}
	p := newLayersPane(read, idx, 0, true)
	p.common = common{t: &strs, st: &st, keys: ptr(DefaultKeyMap(strs))}
	p.SetSize(60, 12)
	p.SetStack(stack, true)

	// Stopped while it waits: nothing is read.
	if p.ReadAhead(stack.ID) == nil {
		t.Fatal("no read-ahead")
	}
	stale := aheadMsg{gen: p.ahead.gen, id: stack.ID}
	p.StopAhead()
	if p, cmd := p.Update(stale); cmd != nil || p.Took() {
		t.Error("a stopped read-ahead still reads")
	}

	// Stopped while it reads: the read ends.
	block <- true
	p.ReadAhead(stack.ID)
	p, cmd := p.Update(aheadMsg{gen: p.ahead.gen, id: stack.ID})
	if cmd == nil {
		t.Fatal("the read-ahead does not read")
	}
	ended := make(chan tea.Msg)
	go func() { ended <- cmd() }()
	for len(block) > 0 {
		time.Sleep(time.Millisecond) // the read has begun
	}
	p.StopAhead()
	select {
	case msg := <-ended:
		if msg.(aheadDoneMsg).err == nil {
			t.Error("a stopped read-ahead ended well")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a step did not stop the read-ahead")
	}
	if len(got) != 1 || got[0].Layer != "" || got[0].Index != idx {
		t.Fatalf("the read-ahead read %+v, want every layer into the index", got)
	}

	// Not stopped: what it read is kept.
	p.ReadAhead(stack.ID)
	p, cmd = p.Update(aheadMsg{gen: p.ahead.gen, id: stack.ID})
	p, _ = p.Update(cmd())
	p, _ = p.Update(press("enter"))
	if out := ansi.Strip(p.View()); !strings.Contains(out, "A /bin/") {
		t.Errorf("the layer read ahead is not listed at once:\n%s", out)
	}
	if len(got) != 2 {
		t.Errorf("%d reads: enter read again what was read ahead", len(got))
	}
}
