package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// podmanBuild reads a recorded answer of Podman's build endpoint
// (docker/testdata/podman) as layerlab reads it on Podman.
func podmanBuild(t *testing.T, name string) *docker.BuildProgress {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "docker", "testdata", "podman", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := &docker.BuildProgress{Buildah: true}
	if err := docker.DecodeBuild(f, p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// transcript is a recorded build's lines from its first STEP to the final
// "--> ID" after COMMIT.
func transcript(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docker", "testdata", "podman", name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	committed := false
	for _, l := range strings.Split(string(b), "\n") {
		if len(out) == 0 && !strings.HasPrefix(l, "STEP ") {
			continue
		}
		out = append(out, l)
		committed = committed || strings.HasPrefix(l, "COMMIT ")
		if committed && strings.HasPrefix(l, "--> ") {
			break
		}
	}
	return out
}

// TestABuildCardOnPodmanReadsLikePodmanBuild: on Podman a build card shows
// the builder's own lines as docker build and podman build print them
// (STEP, --> Using cache, --> ID, COMMIT), not "0 steps": the recorded
// stream against the docker CLI's transcript of the same build, the
// shape of a fresh build against podman build's, in both languages.
func TestABuildCardOnPodmanReadsLikePodmanBuild(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	hex := regexp.MustCompile(`[0-9a-f]{11,64}`)
	shape := func(ls []string) string {
		s := hex.ReplaceAllString(strings.Join(ls, "\n"), "ID")
		return regexp.MustCompile(`COMMIT \S+`).ReplaceAllString(s, "COMMIT NAME")
	}
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		p := Painter{T: &tr, St: &st}
		for _, c := range []struct {
			stream, transcript string
			exact              bool
			cached             int
		}{
			{"build-cached.jsonl", "docker-build-cached.txt", true, 3},
			{"build-nocache.jsonl", "podman-build.txt", false, 0},
			{"build-cached.jsonl", "podman-build-cached.txt", false, 3},
		} {
			bp := podmanBuild(t, c.stream)
			step := &lessons.Step{Index: 0, Kind: lessons.KindBuild, Arg: "hello", Title: "build"}
			state := &engine.StepState{Status: engine.Done, Build: bp, BuildRes: &docker.BuildResult{ImageID: bp.ImageID, Progress: *bp}}
			card := Card{Lesson: &lessons.Lesson{ID: "build", Steps: []*lessons.Step{step}}, Step: step, State: state, Names: engine.NewSession()}
			got := strings.Split(ansi.Strip(p.buildView(card, 120)), "\n")
			want := transcript(t, c.transcript)
			if len(got) != len(want)+1 {
				t.Fatalf("%s %s: %d lines, want %d and the summary:\n%s", lang, c.stream, len(got), len(want), strings.Join(got, "\n"))
			}
			if c.exact && strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") || shape(got[:len(want)]) != shape(want) {
				t.Errorf("%s %s: the card\n%s\nis not %s\n%s", lang, c.stream, strings.Join(got, "\n"), c.transcript, strings.Join(want, "\n"))
			}
			if sum := ansi.Strip(tr.DF.BuildDoneFmt); !strings.Contains(got[len(got)-1], docker.ShortID(bp.ImageID)) {
				t.Errorf("%s %s: the summary %q (%s)", lang, c.stream, got[len(got)-1], sum)
			}
			if n := countCached(bp); n != c.cached {
				t.Errorf("%s %s: %d cached", lang, c.stream, n)
			}
			// Narrow, done and running: every line fits, the cut ones end in "…".
			for _, status := range []engine.Status{engine.Done, engine.Running} {
				state.Status = status
				if status == engine.Running { // halfway: the mark on the last line
					half := *bp
					half.Printed = bp.Printed[:5]
					state.Build = &half
				}
				for _, l := range strings.Split(ansi.Strip(p.buildView(card, 40)), "\n") {
					if ansi.StringWidth(l) > 40 {
						t.Errorf("%s: a line wider than 40: %q", lang, l)
					}
				}
			}
			state.Status, state.Build = engine.Done, bp
		}
	}
}

func countCached(bp *docker.BuildProgress) int {
	n := 0
	for _, s := range bp.Steps {
		if s.Cached {
			n++
		}
	}
	return n
}
