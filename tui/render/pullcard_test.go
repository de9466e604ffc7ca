package render

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Issue 31, 7 and 8: a pull that moved the tag from the image it named
// says the old image is dangling now (how dangling images are born), and
// a pull card that lists layers says why its ids are not the panel's.
func TestAPullCardSaysWhatItMovedAndWhyItsIdsDiffer(t *testing.T) {
	t.Parallel()
	ref, _ := docker.ParseRef("busybox:latest")
	const old, now = "sha256:8b1da740ff4c0000", "sha256:63539bc634ba0000"
	prog := docker.PullProgress{Done: true, Layers: []docker.LayerProgress{
		{ID: "83719313d270", Phase: docker.PhaseExists}, {ID: "b4ceb48fdab6", Phase: docker.PhaseComplete, Size: 3000}}}
	for _, c := range []struct {
		lang     string
		dangling bool
		want     []string
	}{
		{"en", true, []string{"busybox:latest named the image 8b1da740ff4c before", "it is dangling (<none> in docker images)", "how dangling images are born", "docker rmi 8b1da740ff4c",
			"compressed downloads' digests", "diff id"}},
		{"ko", true, []string{"busybox:latest는 전에 8b1da740ff4c 이미지를 가리켰습니다", "댕글링 이미지 (docker images 의 <none>)", "docker rmi 8b1da740ff4c로",
			"압축된 다운로드의 다이제스트", "diff id"}},
		{"en", false, []string{"the old image keeps its other names"}},
		{"ko", false, []string{"옛 이미지는 다른 이름들을 그대로 가집니다"}},
	} {
		tr := i18n.For(c.lang)
		st := NewPlainStyles()
		p := Painter{T: &tr, St: &st}
		s := &engine.StepState{Status: engine.Done, Progress: prog,
			Result: &docker.PullResult{Ref: ref, From: ref.Full(), ImageID: now, TagExisted: true, PreviousID: old, PreviousDangling: c.dangling, Progress: prog}}
		got := strings.Join(strings.Fields(ansi.Strip(p.pullView(s, 200))), " ")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s (dangling %v): %q lacks %q", c.lang, c.dangling, got, w)
			}
		}
		if !c.dangling && (strings.Contains(got, "dangling") || strings.Contains(got, "댕글링")) {
			t.Errorf("%s: an old image with other names is called dangling: %q", c.lang, got)
		}
		// Up to date: nothing moved, no word of it.
		s.Result.PreviousID, s.Result.PreviousDangling = now, false
		if got := ansi.Strip(p.pullView(s, 200)); strings.Contains(got, "8b1da740ff4c") {
			t.Errorf("%s: an up-to-date pull speaks of a moved tag: %q", c.lang, got)
		}
	}
}
