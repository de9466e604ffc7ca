package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

const demoID = "sha256:0c57ab525c598cc3fe774ef118859ec000000000000000000000000000000000"

var demoStack = func() docker.LayerStack {
	st := bbStack
	st.ID = demoID
	st.Tags = []string{"rmi-demo:v1"}
	st.Layers = append(append([]docker.Layer(nil), bbStack.Layers...),
		docker.Layer{Index: 4, DiffID: "sha256:ebbec1fc0478aaaa", Size: 23, Instruction: "sh", Commit: true, Comment: "layerlab lesson rmi"})
	return st
}()

// rmiModel is the rmi lesson with rmi-demo:v1 on the daemon next to busybox,
// step 11 (remove rmi-demo:v1 for real) selected.
func rmiModel(t *testing.T, lang string, w, h int) Model {
	m := testModelIn(t, lang, w, h)
	m = update1(m, connectedMsg{engine: testEngine})
	nm, _ := m.openLesson(4)
	m = nm.(Model)
	if m.lesson().ID != "rmi" {
		t.Fatalf("lesson 5 is %s", m.lesson().ID)
	}
	owned := docker.OwnedLabels("rmi")
	imgs := []docker.Image{
		{ID: demoID, Repo: "rmi-demo", Tag: "v1", Created: fixedNow.Add(-time.Minute), Size: 1985540, Labels: owned},
		{ID: bbID, Repo: "busybox", Tag: "latest", Created: fixedNow.Add(-time.Hour), Size: 1985517},
	}
	m = update1(m, snapshotMsg{images: imgs, diffIDs: map[string][]string{
		bbID:   {"sha256:d5cf7e0c7dad9995", "sha256:d2edc86cfa67aaaa"},
		demoID: {"sha256:d5cf7e0c7dad9995", "sha256:d2edc86cfa67aaaa", "sha256:ebbec1fc0478aaaa"},
	}})
	m = update1(m, stackMsg{ref: "rmi-demo:v1", found: true, stack: demoStack})
	m.selectStep(10)
	m.settle()
	return m
}

// removedDemo feeds the daemon's answer to `docker rmi rmi-demo:v1` and the picture after it.
func removedDemo(t *testing.T, m Model) Model {
	m = update1(m, press("enter"))
	if m.work.eng.Steps[engine.StepKey{Lesson: "rmi", Index: 10}].Status != engine.Running {
		t.Fatal("enter did not start the rmi step")
	}
	res := &docker.RemoveResult{Target: "rmi-demo:v1", ImageID: demoID, Tags: []string{"rmi-demo:v1"},
		Untagged: []string{"rmi-demo:v1"}, Deleted: []string{demoID, "sha256:78707f9816bfd0cb2e8aafc7ba4ffbc0000"}, ImageDeleted: true,
		Layers: []docker.RemovedLayer{
			{Layer: bbStack.Layers[0]}, {Layer: bbStack.Layers[1]},
			{Layer: demoStack.Layers[4], Deleted: true},
		}}
	m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "rmi", Index: 10}, At: fixedNow.Add(40 * time.Millisecond), Removed: res}})
	m = update1(m, snapshotMsg{images: []docker.Image{{ID: bbID, Repo: "busybox", Tag: "latest", Created: fixedNow.Add(-time.Hour), Size: 1985517}},
		diffIDs: map[string][]string{bbID: {"sha256:d5cf7e0c7dad9995", "sha256:d2edc86cfa67aaaa"}}})
	return update1(m, stackMsg{ref: "rmi-demo:v1", found: false})
}

func TestRmiLessonGolden(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, phase := range []string{"before", "after"} {
			t.Run(phase+"_"+sizeName(size), func(t *testing.T) {
				m := rmiModel(t, "en", size[0], size[1])
				if phase == "after" {
					m = removedDemo(t, m)
				}
				out := viewText(m)
				if size[0] < wideWidth {
					out += "\n" + viewText(update1(m, press("tab")))
				}
				golden(t, out)
			})
		}
	}
}

func TestRemovalPanelSaysWhatWentAndWhatStayed(t *testing.T) {
	t.Parallel()
	m := removedDemo(t, rmiModel(t, "en", 120, 40))
	out := viewText(m)
	for _, want := range []string{"Removed · rmi-demo:v1", "ebbec1fc0478", "deleted", "↳ still used by busybox:latest", "Untagged: rmi-demo:v1"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	card := cardText(m, 10)
	if want := "Deleted the image 0c57ab525c59: 1 layer(s) deleted (23B freed), 2 kept"; !strings.Contains(card, want) {
		t.Errorf("card lacks %q:\n%s", want, card)
	}
	if strings.Contains(out, "Layers · rmi-demo:v1") {
		t.Error("the panel still draws the removed image as present")
	}
}

func TestUntagOnlySaysNothingWasDeleted(t *testing.T) {
	t.Parallel()
	m := rmiModel(t, "en", 120, 40)
	m.selectStep(6) // rmi rmi-demo:v2
	m = update1(m, press("enter"))
	res := &docker.RemoveResult{Target: "rmi-demo:v2", ImageID: demoID, Tags: []string{"rmi-demo:v1", "rmi-demo:v2"}, Untagged: []string{"rmi-demo:v2"}}
	m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "rmi", Index: 6}, At: fixedNow, Removed: res}})
	out := cardText(m, 6) + viewText(m)
	for _, want := range []string{"Untagged rmi-demo:v2: the name is gone, nothing", "still named rmi-demo:v1", "Only a name went"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
}

func TestExpectedConflictCompletesTheStepAndOffersForce(t *testing.T) {
	t.Parallel()
	m := rmiModel(t, "en", 120, 60)
	m.selectStep(8) // rmi rmi-demo:v1, expect: conflict
	m = update1(m, press("enter"))
	conflict := &docker.Error{Kind: docker.KindConflict, Op: "remove image rmi-demo:v1", Conflict: docker.ConflictContainer,
		Container: "layerlab-rmi-2", Detail: `conflict: unable to remove repository reference "rmi-demo:v1" (must force) - container 98b217a2e3ae is using its referenced image 0c57ab525c59`}
	m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "rmi", Index: 8}, At: fixedNow, Err: conflict}})
	s := m.work.eng.Steps[engine.StepKey{Lesson: "rmi", Index: 8}]
	if s.Status != engine.Done || !s.Expected {
		t.Fatalf("an expected conflict should complete the step: %+v", s)
	}
	out := strings.Join(strings.Fields(viewText(m)), " ")
	for _, want := range []string{"As expected: A container still uses this image", "The container layerlab-rmi-2 was made from this image",
		"docker rm -f layerlab-rmi-2", "f force it"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	nm, cmd := m.Update(press("f"))
	m = nm.(Model)
	if cmd == nil || !m.work.eng.Steps[engine.StepKey{Lesson: "rmi", Index: 8}].Forced || !strings.Contains(viewText(m), "docker rmi -f rmi-demo:v1") {
		t.Fatal("f does not retry the removal with -f")
	}
	// The same conflict on a step that does not expect it is a failure.
	m = rmiModel(t, "en", 120, 40)
	m = update1(m, press("enter"))
	m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "rmi", Index: 10}, At: fixedNow, Err: conflict}})
	if s := m.work.eng.Steps[engine.StepKey{Lesson: "rmi", Index: 10}]; s.Status != engine.Failed {
		t.Errorf("unexpected conflict: %+v", s)
	}
}

func TestNotOwnedIsExplained(t *testing.T) {
	t.Parallel()
	m := rmiModel(t, "en", 120, 40)
	m = update1(m, press("enter"))
	err := &docker.Error{Kind: docker.KindNotOwned, Op: "remove image myapp:1.0", NotOwned: docker.NotOwnedImage, Name: "myapp:1.0"}
	m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "rmi", Index: 10}, At: fixedNow, Err: err}})
	out := strings.Join(strings.Fields(viewText(m)), " ")
	if !strings.Contains(out, "Not created by layerlab") || !strings.Contains(out, "myapp:1.0 was not made by layerlab") {
		t.Errorf("%s", out)
	}
}

func TestDanglingStepResolvesTheLessonsNewestUntaggedImage(t *testing.T) {
	t.Parallel()
	m := rmiModel(t, "en", 120, 40)
	l := m.lesson()
	st := l.Steps[15]
	if st.Kind != "rmi" || st.Arg != "<none>" {
		t.Fatalf("step 16 is %+v", st)
	}
	if got := m.painter().Command(m.cardOf(l, st)); !strings.Contains(got, "none of this lesson on the daemon now") {
		t.Errorf("no dangling image yet: %q", got)
	}
	imgs := append([]docker.Image(nil), m.pic.images...)
	imgs = append(imgs,
		docker.Image{ID: "sha256:aaaa11112222", Repo: "<none>", Tag: "<none>", Created: fixedNow.Add(-2 * time.Minute), Owned: true, Lesson: "rmi"},
		docker.Image{ID: "sha256:bbbb33334444", Repo: "<none>", Tag: "<none>", Created: fixedNow.Add(-time.Minute), Owned: true, Lesson: "rmi"},
		docker.Image{ID: "sha256:cccc55556666", Repo: "<none>", Tag: "<none>", Created: fixedNow}, // the learner's
		// The learner's commit of a lesson container: Docker copied the labels.
		docker.Image{ID: "sha256:dddd77778888", Repo: "<none>", Tag: "<none>", Created: fixedNow.Add(time.Second), Labels: docker.OwnedLabels("rmi")},
	)
	m = update1(m, snapshotMsg{images: imgs})
	if got := m.painter().Command(m.cardOf(l, st)); got != "docker rmi bbbb33334444" {
		t.Errorf("command %q", got)
	}
}

func TestCleanupKeyAsksFirst(t *testing.T) {
	t.Parallel()
	m := rmiModel(t, "en", 120, 40)
	nm, cmd := m.Update(press("x"))
	m = nm.(Model)
	if cmd == nil {
		t.Fatal("x does nothing")
	}
	plan := docker.CleanupPlan{Lesson: "rmi", Items: []docker.CleanupItem{
		{Kind: docker.ItemContainer, Name: "layerlab-rmi-1"}, {Kind: docker.ItemTag, Name: "rmi-demo:v1"}}}
	m = update1(m, cleanupPlanMsg{plan: plan})
	if out := viewText(m); !strings.Contains(out, "Remove 1 container(s) and 1 image(s)/tag(s)") || !strings.Contains(out, "layerlab-rmi-1, rmi-demo:v1") {
		t.Fatalf("no question:\n%s", out)
	}
	nm, cmd = m.Update(press("n"))
	if m = nm.(Model); cmd != nil || m.confirm.Open() {
		t.Fatal("n must cancel and remove nothing")
	}
	m = update1(m, cleanupPlanMsg{plan: plan})
	nm, cmd = m.Update(press("y"))
	if m = nm.(Model); cmd == nil || m.idle() {
		t.Fatal("y does not start the cleanup")
	}
	m = update1(m, cleanupDoneMsg{lesson: "rmi", results: []docker.CleanupResult{
		{Item: plan.Items[0]},
		{Item: plan.Items[1], Err: &docker.Error{Kind: docker.KindConflict, Conflict: docker.ConflictContainer, Container: "my-web"}},
	}})
	if out := viewText(m); !strings.Contains(out, "Removed 1 thing(s) layerlab made. 1 kept (rmi-demo:v1: A container still uses this image)") {
		t.Errorf("report:\n%s", out)
	}
	if !m.idle() {
		t.Error("still busy after the cleanup")
	}
	m = update1(m, cleanupPlanMsg{plan: docker.CleanupPlan{Lesson: "rmi"}})
	if !strings.Contains(viewText(m), "Nothing to remove") {
		t.Error("an empty plan should say so, not ask")
	}
}

// cardText is what step i's card says below its command, unwrapped.
func cardText(m Model, i int) string {
	l := m.lesson()
	st := l.Steps[i]
	return ansi.Strip(m.painter().Output(m.cardOf(l, st), 300))
}

// TestForceHintSaysWhatForceDoes: the hint under a refused removal says what
// -f will really do: delete the image (a stopped container, Docker 20.10),
// only untag it (the containerd image store), only untag it (a running
// container). TestForcedRemovalDoesWhatTheHintSays checks each on the daemon.
func TestForceHintSaysWhatForceDoes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		conflict   docker.ConflictReason
		containerd bool
		want       string
	}{
		{docker.ConflictContainer, false, "docker rmi -f deletes the image"},
		{docker.ConflictContainer, true, "on this engine (containerd image store) docker rmi -f removes the name only"},
		{docker.ConflictRunning, false, "with a running container docker rmi -f removes the name only"},
		{docker.ConflictRunning, true, "with a running container docker rmi -f removes the name only"},
	} {
		m := rmiModel(t, "en", 120, 60)
		m = update1(m, press("enter"))
		err := &docker.Error{Kind: docker.KindConflict, Op: "remove image rmi-demo:v1", Conflict: c.conflict, Container: "layerlab-rmi-2", ContainerdStore: c.containerd}
		m = update1(m, stepDoneMsg{engine.Outcome{Key: engine.StepKey{Lesson: "rmi", Index: 10}, At: fixedNow, Err: err}})
		l := m.lesson()
		if out := flatten(ansiStrip(m.painter().Card(m.cardOf(l, l.Steps[10]), 300))); !strings.Contains(out, c.want) {
			t.Errorf("%v containerd=%v: screen lacks %q:\n%s", c.conflict, c.containerd, c.want, out)
		}
	}
}

// TestXSaysWhatItKeeps: x after the learner reloaded files-demo:v1 (lesson
// 11's name; layerlab's ledger does not have it: theirs) does not say only
// "nothing to remove": it says it keeps files-demo:v1, the learner's; and a
// volume a container that stays mounts is kept, said so in the question
// before yes, in both languages (found by a newcomer).
func TestXSaysWhatItKeeps(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		m := testModelIn(t, lang, 120, 40)
		m = update1(m, connectedMsg{engine: testEngine})
		nm, _ := m.openLesson(10)
		m = nm.(Model)
		if m.lesson().ID != "image-files" {
			t.Fatalf("lesson 11 is %s", m.lesson().ID)
		}
		m = update1(m, snapshotMsg{images: []docker.Image{
			{ID: demoID, Repo: "files-demo", Tag: "v1", Created: fixedNow.Add(-time.Minute), Size: 1985540},
			{ID: bbID, Repo: "busybox", Tag: "latest", Created: fixedNow.Add(-time.Hour), Size: 1985517}}})
		m.settle()
		m = update1(m, cleanupPlanMsg{plan: docker.CleanupPlan{Lesson: "image-files"}})
		out := strings.Join(strings.Fields(viewText(m)), "")
		if want := i18n.Tr(m.t.KeptYoursFmt, "files-demo:v1"); !strings.Contains(out, nospace(m.t.CleanupNothing)) || !strings.Contains(out, nospace(want)) {
			t.Errorf("%s: x after the learner's reload does not say it keeps theirs (%q):\n%s", lang, want, viewText(m))
		}
		if strings.Contains(out, "busybox:latest") {
			t.Errorf("%s: busybox is no name of the lesson's:\n%s", lang, out)
		}
		plan := docker.CleanupPlan{Lesson: "image-files", Items: []docker.CleanupItem{{Kind: docker.ItemContainer, Name: "layerlab-files-1"}},
			Kept: []docker.Kept{{Name: "layerlab-data", ID: "layerlab-data", Why: docker.KeptVolumeInUse, Tags: []string{"my-box"}}}}
		m = update1(m, cleanupPlanMsg{plan: plan})
		out = strings.Join(strings.Fields(viewText(m)), "")
		if want := i18n.Tr(m.t.KeptInUseFmt, "layerlab-data", "my-box"); !m.confirm.Open() || !strings.Contains(out, nospace(want)) || !strings.Contains(out, nospace(i18n.Tr(m.t.KeptYoursFmt, "files-demo:v1"))) {
			t.Errorf("%s: the question does not say what it keeps (%q):\n%s", lang, want, viewText(m))
		}
	}
}

func nospace(s string) string { return strings.Join(strings.Fields(s), "") }
