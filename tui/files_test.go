package tui

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// TestLayerFilesInThePanel: tab gives the layers panel the focus; ↑/↓ choose
// a layer (marked ›), enter reads its image's files once and lists the
// chosen layer's A/C/D paths, scrolling with ↓; esc goes back to the stack,
// and esc again leaves the lesson as before.
func TestLayerFilesInThePanel(t *testing.T) {
	t.Parallel()
	m := committed(t, commitModel(t, "en", 120, 40))
	m = update1(m, press("tab"))
	if m.nav.focus != focusLayers {
		t.Fatal("tab did not focus the panel")
	}
	chosenLine := func(m Model) string {
		for _, l := range strings.Split(viewText(m), "\n") {
			if i := strings.Index(l, "›"); i >= 0 && strings.Contains(l, "■") {
				return l[i:]
			}
		}
		return ""
	}
	if got := chosenLine(m); !strings.Contains(got, "4ebff1c07ec1") {
		t.Fatalf("the top layer is not chosen first: %q\n%s", got, viewText(m))
	}
	m = update1(m, press("j"))
	m = update1(m, press("j"))
	m = update1(m, press("j")) // past the bottom: stays there
	if got := chosenLine(m); !strings.Contains(got, "d5cf7e0c7dad") {
		t.Fatalf("↓ did not reach the base layer: %q", got)
	}
	m = update1(m, press("k"))
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	if cmd == nil || !strings.Contains(viewText(m), "reading the layer from the daemon") {
		t.Fatalf("enter did not ask for the files:\n%s", viewText(m))
	}
	if _, ok := cmd().(filesMsg); !ok { // testModel's client answers nothing; the command still reports back
		t.Fatal("the command does not report back")
	}
	// A folder below that the layer holds is changed, as docker diff lists it.
	files := []docker.LayerFile{{Path: "/bin", Kind: docker.Changed, Dir: true}}
	for i := range 60 {
		files = append(files, docker.LayerFile{Path: "/bin/tool" + itoa(100+i), Kind: docker.Added, Link: "/bin/busybox"})
	}
	files = append(files, docker.LayerFile{Path: "/etc/motd", Kind: docker.Changed, Size: 12}, docker.LayerFile{Path: "/tmp/gone", Kind: docker.Deleted, Whiteout: "/tmp/.wh.gone"})
	m = update1(m, filesMsg{id: newID, layers: []docker.LayerFiles{
		{DiffID: "sha256:d5cf7e0c7dad9995", Files: []docker.LayerFile{{Path: "/bin/busybox", Kind: docker.Added, Size: 1982256}}},
		{DiffID: "sha256:d2edc86cfa67aaaa", Files: files},
		{DiffID: "sha256:4ebff1c07ec1aaaa"},
	}})
	out := viewText(m)
	for _, want := range []string{"files of layer d2edc86cfa67 (3.26kB)", "RUN /bin/busybox --install -s /bin",
		"60 added · 2 changed · 1 deleted", "C /bin/ ", "A /bin/tool100 → /bin/busybox", "↓ more"} {
		if !strings.Contains(out, want) {
			t.Errorf("the listing lacks %q:\n%s", want, out)
		}
	}
	if foot := strings.Split(out, "\n"); !strings.Contains(foot[len(foot)-1], "scroll the files") || !strings.Contains(foot[len(foot)-1], "back to the layers") || strings.Contains(foot[len(foot)-1], "choose a layer") {
		t.Errorf("the footer does not say what the keys do in the listing: %q", foot[len(foot)-1])
	}
	for range 70 {
		m = update1(m, press("j"))
	}
	out = viewText(m)
	if !strings.Contains(out, "C /etc/motd  12B") || !strings.Contains(out, "D /tmp/gone  whiteout .wh.gone") || strings.Contains(out, "A /bin/tool100 ") {
		t.Errorf("↓ does not scroll to the end:\n%s", out)
	}
	m = update1(m, press("esc"))
	if got := chosenLine(m); !strings.Contains(got, "d2edc86cfa67") {
		t.Errorf("esc did not go back to the stack with the layer chosen: %q\n%s", got, viewText(m))
	}
	// Opening it again reads nothing more: the image's files are known.
	if _, cmd := m.Update(press("enter")); cmd != nil {
		t.Error("the files were read again")
	}
	m = update1(m, press("esc"))
	m = update1(m, press("esc"))
	if m.nav.screen != screenList {
		t.Error("esc on the stack does not leave the lesson")
	}
}

// TestClosingTheListingStopsTheRead: esc before the files came stops the
// read; its late answer is dropped, and enter again reads again.
func TestClosingTheListingStopsTheRead(t *testing.T) {
	t.Parallel()
	m := committed(t, commitModel(t, "en", 120, 40))
	m = update1(m, press("tab"))
	nm, cmd := m.Update(press("enter"))
	m = nm.(Model)
	e, ok := m.pane.files[newID]
	if cmd == nil || !ok || !e.loading {
		t.Fatal("enter did not start reading")
	}
	m = update1(m, press("esc"))
	if e := m.pane.files[newID]; e.loading || m.pane.Listing() {
		t.Fatal("esc left the read going")
	}
	if msg, _ := cmd().(filesMsg); docker.KindOf(msg.err) != docker.KindCanceled {
		t.Errorf("the stopped read ended with %v, want canceled", msg.err)
	}
	m = update1(m, filesMsg{id: newID, layers: []docker.LayerFiles{{DiffID: "sha256:4ebff1c07ec1aaaa"}}})
	if e := m.pane.files[newID]; e.layers != nil {
		t.Error("a late answer was kept")
	}
	if _, cmd := m.Update(press("enter")); cmd == nil {
		t.Error("enter again does not read again")
	}
}
