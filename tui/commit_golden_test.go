package tui

import (
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
)

const (
	bbID  = "sha256:b10cefd55dc1d50ddd029d90476f12f46f1d59ddd5b5ff5e9b1666438913ce1a"
	newID = "sha256:499ca8b8219c0000000000000000000000000000000000000000000000000000"
)

var bbStack = docker.LayerStack{ID: bbID, Size: 1985517, Layers: []docker.Layer{
	{Index: 0, DiffID: "sha256:d5cf7e0c7dad9995", Size: 1982256, Instruction: "COPY file:73e2b2d48642 in /bin/busybox"},
	{Index: 1, DiffID: "sha256:d2edc86cfa67aaaa", Size: 3261, Instruction: "RUN /bin/busybox --install -s /bin"},
	{Index: 2, Meta: true, Instruction: "ENV PATH=/bin"},
	{Index: 3, Meta: true, Instruction: `CMD ["sh"]`},
}, Config: docker.ImageConfig{Cmd: []string{"sh"}, Env: []string{"PATH=/bin"}}}

// commitModel is the commit lesson with its container changed, before the commit.
func commitModel(t *testing.T, lang string, w, h int) Model {
	m := testModelIn(t, lang, w, h)
	m = update1(m, connectedMsg{engine: testEngine})
	nm, _ := m.openLesson(3)
	m = nm.(Model)
	imgs := []docker.Image{{ID: bbID, Repo: "busybox", Tag: "latest", Created: fixedNow.Add(-time.Hour), Size: 1985517}}
	m = update1(m, snapshotMsg{images: imgs, diffIDs: map[string][]string{bbID: {"sha256:d5cf7e0c7dad9995", "sha256:d2edc86cfa67aaaa"}}})
	m = update1(m, stackMsg{ref: "busybox:latest", found: true, stack: bbStack})
	ct := docker.Container{ID: "7a1b2c3d4e5f60000", Name: "layerlab-commit-1", Image: "busybox", ImageID: bbID, State: "running"}
	for i, msg := range []stepDoneMsg{
		{engine.Outcome{Container: &ct}},
		{engine.Outcome{Exec: &docker.ExecResult{ExitCode: 0}}},
	} {
		m.selectStep(i + 1)
		m.settle()
		m = update1(m, press("enter"))
		msg.Key, msg.At = engine.StepKey{Lesson: "commit", Index: i + 1}, fixedNow.Add(300*time.Millisecond)
		m = update1(m, msg)
	}
	m = update1(m, writableMsg{name: "layerlab-commit-1", layer: docker.WritableLayer{Container: ct, Size: 3,
		Changes: []docker.Change{{Kind: docker.Added, Path: "/app"}, {Kind: docker.Added, Path: "/hello.txt"}}}})
	m.selectStep(4)
	m.settle()
	return m
}

func committed(t *testing.T, m Model) Model {
	m = update1(m, press("enter"))
	ref, _ := docker.ParseRef("pyubuntu:init")
	m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "commit", Index: 4}, At: fixedNow.Add(200 * time.Millisecond), Commit: &docker.CommitResult{Ref: ref, ImageID: newID}}})
	st := bbStack
	st.ID = newID
	st.Layers = append(append([]docker.Layer(nil), bbStack.Layers...), docker.Layer{Index: 4, DiffID: "sha256:4ebff1c07ec1aaaa", Size: 3, Instruction: "sh", Commit: true, Comment: "layerlab lesson commit"})
	m = update1(m, stackMsg{ref: "pyubuntu:init", found: true, stack: st})
	return m
}

func TestCommitLessonGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run("before_"+sizeName(size), func(t *testing.T) {
			m := commitModel(t, "en", size[0], size[1])
			out := viewText(m)
			if size[0] < wideWidth {
				out += "\n" + viewText(update1(m, press("tab")))
			}
			golden(t, out)
		})
		t.Run("after_"+sizeName(size), func(t *testing.T) {
			m := committed(t, commitModel(t, "en", size[0], size[1]))
			out := viewText(m)
			if size[0] < wideWidth {
				out += "\n" + viewText(update1(m, press("tab")))
			}
			golden(t, out)
		})
	}
}
