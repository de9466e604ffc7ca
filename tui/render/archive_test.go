package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// A saved file's listing, in both layouts and languages, at every width a
// card has: every line fits; each layer says its sha256 is its diff id (the
// panel's short id), the image id is the config's or the manifest's hash as
// the daemon said, and a layer two images share is said to be stored once
// (on the legacy layout, the link to it).
func TestTheListingOfASavedFile(t *testing.T) {
	t.Parallel()
	for _, oci := range []bool{false, true} {
		s := dockertest.Archive(oci,
			dockertest.ArchiveImage{Tag: "files-demo:v1", Layers: []string{"base", "one"}},
			dockertest.ArchiveImage{Tag: "busybox:latest", Layers: []string{"base"}})
		a, err := docker.ReadArchive(bytes.NewReader(s.Bytes))
		if err != nil {
			t.Fatal(err)
		}
		ids := s.ConfigIDs
		if oci {
			ids = s.Manifests
		}
		for _, lang := range []string{"en", "ko"} {
			tr := i18n.For(lang)
			st := NewPlainStyles()
			p := Painter{T: &tr, St: &st}
			for _, w := range []int{30, 47, 60, 76, 100} {
				out := ansi.Strip(p.listingView(a, ids, w))
				for _, ln := range strings.Split(out, "\n") {
					if ansi.StringWidth(ln) > w {
						t.Errorf("oci %v %s %d: %q is wider", oci, lang, w, ln)
					}
				}
				flat := strings.Join(strings.Fields(out), " ")
				want := []string{docker.ShortID(s.DiffIDs[0][0]) + " = diff id 1 ✓", docker.ShortID(s.DiffIDs[0][1]) + " = diff id 2 ✓",
					docker.ShortID(ids[0]) + " ="}
				if oci {
					want = append(want, "index.json", "oci-layout")
				}
				if lang == "en" {
					want = append(want, "stored once")
					if oci {
						want = append(want, "sha256 of its manifest")
					} else {
						want = append(want, "sha256 of its config", "a link to")
					}
				}
				for _, x := range want {
					if !strings.Contains(flat, x) {
						t.Errorf("oci %v %s %d: no %q in\n%s", oci, lang, w, x, out)
					}
				}
			}
		}
	}
}

// TestATarlistCardIsNotTarTvf: a tarlist card's line says layerlab reads
// the file, and is not "$ tar tvf FILE" (which prints other columns, the
// entries in the file's order): no command prints what it shows (found by
// a newcomer), in both languages.
func TestATarlistCardIsNotTarTvf(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st, Now: time.Now}
		step := &lessons.Step{Index: 6, Kind: lessons.KindTarList, Arg: "files-demo.tar", Title: "t"}
		c := Card{Lesson: &lessons.Lesson{ID: "image-files", Steps: []*lessons.Step{step}}, Step: step, State: &engine.StepState{}, Names: engine.NewSession()}
		line := p.CommandLine(c)
		out := ansi.Strip(p.Card(c, 90))
		if strings.Contains(out, "tar tvf") || strings.HasPrefix(line, "$") || !strings.Contains(line, "files-demo.tar") || !strings.Contains(out, "layerlab") {
			t.Errorf("%s: the tarlist card's line %q:\n%s", lang, line, out)
		}
	}
}
