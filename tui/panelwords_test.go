package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Issue 31, 5: an image the lesson commits, once it is gone, is not
// something to pull (that name on Docker Hub is a stranger's): the panel
// says which step makes it. The commit's card keeps its base's name after
// the container went (x).
func TestAGoneCommittedImageIsMadeByItsStep(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string][2]string{
		"en": {"pyubuntu:init is not on your daemon (any more): this lesson makes it in step 5, with docker commit", "the layers of busybox + 1 new layer"},
		"ko": {"pyubuntu:init은 데몬에 (더 이상) 없습니다: 이 레슨이 5단계에서 docker commit으로 만듭니다", "busybox 의 레이어 + 새 레이어 1개"},
	} {
		m := commitModel(t, lang, 160, 60)
		m = update1(m, press("enter"))
		ref, _ := docker.ParseRef("pyubuntu:init")
		m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "commit", Index: 4}, At: fixedNow,
			Commit: &docker.CommitResult{Ref: ref, ImageID: newID, Base: "busybox"}}})
		// x: the container and the image are gone.
		m.pic.writable = map[string]docker.WritableLayer{}
		m = update1(m, stackMsg{ref: "pyubuntu:init", found: false})
		panel := flat(m.panel().view(m.t, m.st, 60, 30))
		if !strings.Contains(panel, want[0]) || strings.Contains(panel, "docker pull") {
			t.Errorf("%s: the panel says %q, want %q", lang, panel, want[0])
		}
		if out := viewText(m); !strings.Contains(out, want[1]) {
			t.Errorf("%s: the commit's card lacks %q:\n%s", lang, want[1], out)
		}
	}
}

// flat is a drawing's text on one line, without colours or line ends.
func flat(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), " ") }

// Issue 31, 11: with the daemon out of reach (permission denied), the panel
// cannot know whether the lesson's image is there, and says so.
func TestThePanelCannotTellWithoutTheDaemon(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{
		"en": "layerlab cannot ask the daemon (",
		"ko": "layerlab 이 데몬에 물어볼 수 없어서 (",
	} {
		m := testModelIn(t, lang, 120, 40)
		m = update1(m, connectedMsg{err: &docker.Error{Kind: docker.KindPermission, Op: "connect", Host: "unix:///var/run/docker.sock",
			Detail: "permission denied while trying to connect to the Docker daemon socket"}})
		nm, _ := m.openLesson(0)
		m = nm.(Model)
		out := flat(m.panel().view(m.t, m.st, 60, 30))
		if !strings.Contains(out, want) {
			t.Errorf("%s: the panel lacks %q:\n%s", lang, want, viewText(m))
		}
		tr := i18n.For(lang)
		missing := strings.Fields(i18n.Tr(tr.LayersMissingFmt, "busybox:latest"))[0:3]
		if strings.Contains(out, strings.Join(missing, " ")) || strings.Contains(out, "is not on your daemon") {
			t.Errorf("%s: the panel says the image is not there:\n%s", lang, viewText(m))
		}
	}
}

// Issue 31, 8 and 7: a shared layer is named after the image the learner
// knows (the lesson's name, then Docker Hub's name, then a mirror's
// address), and an image with no name is called dangling.
func TestSharedLayersAreNamedAsTheLearnerKnowsThem(t *testing.T) {
	t.Parallel()
	const d = "sha256:d5cf7e0c7dad9995"
	stack := docker.LayerStack{ID: "sha256:aaaa", Layers: []docker.Layer{{Index: 0, DiffID: d}}}
	images := []docker.Image{
		{ID: "sha256:1111", Repo: "127.0.0.1:5555/library/busybox", Tag: "1.36"},
		{ID: "sha256:2222", Repo: "busybox", Tag: "1.36"},
		{ID: "sha256:3333", Repo: "<none>", Tag: "<none>"},
		{ID: "sha256:4444", Repo: "pyubuntu", Tag: "mine"},
		// One image, two names: named once, by the one the learner knows.
		{ID: "sha256:5555", Repo: "busybox", Tag: "zzz-other"},
		{ID: "sha256:5555", Repo: "busybox", Tag: "latest"},
	}
	diffIDs := map[string][]string{"sha256:1111": {d}, "sha256:2222": {d}, "sha256:3333": {d}, "sha256:4444": {d}, "sha256:5555": {d}}
	for _, c := range []struct {
		known map[string]bool
		first string
	}{
		{map[string]bool{}, "busybox:1.36"},
		{map[string]bool{"pyubuntu:mine": true}, "pyubuntu:mine"},
		{map[string]bool{"busybox:latest": true}, "busybox:latest"},
	} {
		for _, lang := range []string{"en", "ko"} {
			tr := i18n.For(lang)
			others, sharing, _ := sharedIndex(stack, images, diffIDs, c.known, func(id string) string { return i18n.Tr(tr.DanglingRefFmt, id) })
			if got := others[d]; len(got) != 5 || got[0] != c.first {
				t.Errorf("%s %v: shared with %v, want %s first", lang, c.known, got, c.first)
			}
			last := others[d][len(others[d])-1]
			if want := i18n.Tr(tr.DanglingRefFmt, docker.ShortID("sha256:3333")); last != want {
				t.Errorf("%s: the image with no name is %q, want %q", lang, last, want)
			}
			if !strings.Contains(last, "<none>") || lang == "en" && !strings.Contains(last, "dangling") || lang == "ko" && !strings.Contains(last, "댕글링") {
				t.Errorf("%s: %q does not call it dangling", lang, last)
			}
			if sharing[0].ref != c.first {
				t.Errorf("%s: the images sharing layers start with %q", lang, sharing[0].ref)
			}
		}
	}
}
