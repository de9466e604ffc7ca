package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/docker/docker/api/types/container"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// checkResult, builtWorld and evalCheck judge an exercise with the lesson
// engine and word what it misses, as a card shows it.
type checkResult struct {
	done bool
	why  string
}

type builtWorld struct {
	stacks map[string]stackEntry
	files  map[string]string
}

// As if the learner had done all of it after the exercise was shown: every
// image's names given, every container started, since then (what was there
// before is TestAnExerciseCountsWhatTheLearnerDidSinceItWasShown's).
func evalCheck(t *i18n.Strings, arg string, images []docker.Image, containers []docker.Container, diffIDs map[string][]string, bw ...builtWorld) checkResult {
	did, since := engine.NewActivity(), fixedNow
	for _, im := range images {
		for _, n := range engine.Names(im) {
			did.Saw(docker.Event{Type: "image", Action: "tag", ID: im.ID, Name: n, Time: since.Add(time.Second)})
		}
	}
	for _, c := range containers {
		did.Saw(docker.Event{Type: "container", Action: "start", ID: c.ID, Name: c.Name, Time: since.Add(time.Second)})
	}
	w := engine.World{Images: images, Containers: containers, DiffIDs: diffIDs, Stacks: map[string]docker.LayerStack{}, Did: did, Since: since}
	for _, b := range bw {
		w.Files = b.files
		for ref, e := range b.stacks {
			if e.found {
				w.Stacks[ref] = e.stack
			}
		}
	}
	v := engine.Evaluate(arg, w)
	return checkResult{done: v.Done, why: i18n.WhyText(t, v.Why)}
}

func TestExerciseChecksSayWhatIsMissing(t *testing.T) {
	t.Parallel()
	bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
	same := docker.Image{ID: "sha256:same", Repo: "pyubuntu", Tag: "mine"}
	good := docker.Image{ID: "sha256:good", Repo: "pyubuntu", Tag: "mine"}
	owned := docker.Image{ID: "sha256:own", Repo: "pyubuntu", Tag: "mine", Owned: true, Lesson: "commit"}
	other := docker.Image{ID: "sha256:other", Repo: "pyubuntu", Tag: "mine"}
	diff := map[string][]string{"sha256:bb": {"a", "b"}, "sha256:same": {"a", "b"}, "sha256:good": {"a", "b", "c"}, "sha256:own": {"a", "b", "c"}, "sha256:other": {"x", "c"}}
	running := docker.Container{ID: "c1", Name: "mybox", Image: "busybox", ImageID: "sha256:bb", State: "running"}
	exited := docker.Container{ID: "c2", Name: "old", Image: "busybox", ImageID: "sha256:bb", State: "exited"}
	lessonOwn := docker.Container{ID: "c3", Name: "layerlab-commit-1", Image: "busybox", State: "running", Owned: true, Lesson: "commit"}
	cases := []struct {
		arg  string
		imgs []docker.Image
		cts  []docker.Container
		done bool
		why  string
	}{
		{"image busybox:1.36", []docker.Image{bb}, nil, false, "no image busybox:1.36 on the daemon yet"},
		{"image busybox", []docker.Image{bb}, nil, true, ""},
		{"container busybox", []docker.Image{bb}, []docker.Container{lessonOwn}, false, "no container from busybox:latest yet"},
		// Run by the learner from an image carrying layerlab's labels: theirs.
		{"container busybox", []docker.Image{bb}, []docker.Container{{ID: "c4", Name: "mine", Image: "busybox", ImageID: "sha256:bb", State: "running", Labels: docker.OwnedLabels("commit")}}, true, ""},
		{"container busybox", []docker.Image{bb}, []docker.Container{exited}, false, "a container from busybox:latest exists (old) but it is not running"},
		{"container busybox", []docker.Image{bb}, []docker.Container{exited, running}, true, ""},
		{"committed pyubuntu:mine busybox:latest", []docker.Image{bb}, nil, false, "no image pyubuntu:mine yet: commit a container"},
		{"committed pyubuntu:mine busybox:latest", []docker.Image{bb, same}, nil, false, "has the same layers as busybox:latest: the change was not committed"},
		{"committed pyubuntu:mine busybox:latest", []docker.Image{bb, other}, nil, false, "is not built on the layers of busybox:latest"},
		{"committed pyubuntu:mine busybox:latest", []docker.Image{bb, owned}, nil, false, "the pyubuntu:mine there now is the one the lesson's step committed, so it does not count"},
		{"committed pyubuntu:mine busybox:latest", []docker.Image{bb, good}, nil, true, ""},
		{"removed pyubuntu:mine", []docker.Image{bb, good}, nil, false, "pyubuntu:mine is still there: docker rmi pyubuntu:mine"},
		{"removed pyubuntu:mine", []docker.Image{bb}, nil, true, ""},
		{"committed pyubuntu:mine busybox:latest", []docker.Image{bb, {ID: "sha256:typo", Repo: "pyubuntu", Tag: "mnie"}}, nil, false, "pyubuntu:mnie exists, but no pyubuntu:mine: did you mean pyubuntu:mine?"},
		{"removed pyubuntu:mine", []docker.Image{bb, good}, []docker.Container{{Name: "mybox", ImageID: "sha256:good", State: "exited"}}, false, "the container mybox (exited) uses it, so docker rmi refuses. Remove the container first: docker rm mybox"},
	}
	for _, c := range cases {
		r := evalCheck(&i18n.English, c.arg, c.imgs, c.cts, diff)
		if r.done != c.done || !strings.Contains(r.why, c.why) {
			t.Errorf("%s: %+v, want done=%v %q", c.arg, r, c.done, c.why)
		}
	}
}

func TestBuiltCheckKnowsWhichDockerfile(t *testing.T) {
	t.Parallel()
	img := docker.Image{ID: "sha256:b1", Repo: "pyubuntu", Tag: "init"}
	files := map[string]string{
		"Dockerfile":         "FROM busybox\nCMD echo \"from the top\"\n",
		"path/to/Dockerfile": "FROM busybox\nCMD [\"sh\", \"-c\", \"echo from path\"]\n",
	}
	world := func(cmd ...string) builtWorld {
		return builtWorld{files: files, stacks: map[string]stackEntry{"pyubuntu:init": {found: true, stack: docker.LayerStack{ID: "sha256:b1", Config: docker.ImageConfig{Cmd: cmd}}}}}
	}
	arg := "built pyubuntu:init path/to/Dockerfile"
	if r := evalCheck(&i18n.English, arg, nil, nil, nil, world()); r.done || !strings.Contains(r.why, "docker build -t pyubuntu:init -f path/to/Dockerfile .") {
		t.Errorf("missing: %+v", r)
	}
	if r := evalCheck(&i18n.English, arg, []docker.Image{img}, nil, nil, world("/bin/sh", "-c", `echo "from the top"`)); r.done || !strings.Contains(r.why, "built from the Dockerfile at the top of the folder, not from path/to/Dockerfile: add -f") {
		t.Errorf("without -f: %+v", r)
	}
	if r := evalCheck(&i18n.English, arg, []docker.Image{img}, nil, nil, world("sh", "-c", "echo from path")); !r.done {
		t.Errorf("with -f: %+v", r)
	}
	owned := img
	owned.Owned, owned.Lesson = true, "build"
	if r := evalCheck(&i18n.English, arg, []docker.Image{owned}, nil, nil, world("sh", "-c", "echo from path")); r.done || !strings.Contains(r.why, "is the one the lesson's step built, so it does not count") {
		t.Errorf("the lesson's own build must not count, and the learner is told so: %+v", r)
	}
}

func TestHintsOneAtATime(t *testing.T) {
	t.Parallel()
	m := testModel(t, 120, 40)
	m = update1(m, connectedMsg{engine: testEngine})
	m = lessonAt(t, m, "commit")
	l := m.lesson()
	last := len(l.Steps) - 1
	m.selectStep(last)
	m.settle()
	card := func() string {
		return ansiStrip(m.painter().Output(m.cardOf(l, l.Steps[last]), 200))
	}
	if strings.Contains(card(), "hint 1/3") || !strings.Contains(card(), "show a hint") {
		t.Fatalf("hints before asking:\n%s", card())
	}
	m = update1(m, press("h"))
	if !strings.Contains(card(), "hint 1/3: change it first") || strings.Contains(card(), "hint 2/3") {
		t.Fatalf("first hint:\n%s", card())
	}
	m = update1(m, press("h"))
	if !strings.Contains(card(), "hint 2/3: then: docker commit mybox pyubuntu:mine") || !strings.Contains(card(), "show a hint") {
		t.Fatalf("second hint:\n%s", card())
	}
	m = update1(m, press("h"))
	m = update1(m, press("h"))
	if !strings.Contains(card(), "hint 3/3: on Podman: podman commit mybox pyubuntu:mine") || strings.Contains(card(), "show a hint") {
		t.Fatalf("third hint:\n%s", card())
	}
}

// TestExerciseDoneInAnotherTerminal: a scripted learner does the commit
// exercise with a second client; first wrong (a commit with no change), then
// right. layerlab says what is missing, then marks it done, from the events.
func TestExerciseDoneInAnotherTerminal(t *testing.T) {
	dcli, api := dockertest.Daemon(t)
	dockertest.SkipOnPodman(t, dcli, "an unchanged container's commit adds a layer there (Podman's /etc/mtab, /run/.containerenv), so the exercise's 'same layers' refusal never comes")
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	dockertest.PreserveTag(t, api, "pyubuntu:mine")
	ctx := context.Background()
	m, cmd := liveModel(t, reg.Host)
	m.opts.Live = true
	nm, _ := m.openLesson(3) // the commit lesson, before the daemon answers
	m = nm.(Model)
	last := len(m.lesson().Steps) - 1
	name := "layerlab-test-learner-" + reg.Nonce
	phase := 0
	var wrong string
	m = drive(t, m, cmd, 90*time.Second, func(m Model, msg tea.Msg) bool {
		switch phase {
		case 0: // connected and live: the learner pulls busybox, starts a container, commits
			if m.daemon.events.live {
				pullAs(t, api, reg.Host+"/library/busybox:latest", "busybox:latest")
				id := dockertest.UserContainer(t, api, "busybox:latest", name)
				if err := api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
					t.Fatal(err)
				}
				// Wrong: committed without changing anything.
				dockertest.Commit(t, api, id, "pyubuntu:mine")
				phase = 1
			}
		case 1:
			if s := m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: last}]; s != nil && strings.Contains(i18n.WhyText(&i18n.English, s.Why), "same layers") {
				wrong = i18n.WhyText(&i18n.English, s.Why)
				dockertest.Exec(t, api, name, "echo hi > /mine.txt")
				dockertest.Commit(t, api, name, "pyubuntu:mine")
				phase = 2
			}
		case 2:
			s := m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: last}]
			return s != nil && s.Status == engine.Done
		}
		return false
	})
	if !strings.Contains(wrong, "pyubuntu:mine exists but has the same layers as busybox:latest") {
		t.Errorf("wrong commit said %q", wrong)
	}
	if s := m.work.eng.Steps[engine.StepKey{Lesson: "commit", Index: last - 1}]; s == nil || s.Status != engine.Done {
		t.Error("the container exercise was not marked done")
	}
	m.daemon.events.quitting = true
	m.daemon.events.cancel()
}

// TestTheWhiteoutExerciseDoneInAnotherTerminal: the copy-on-write lesson's
// exercise, done with the daemon's API as the learner's docker CLI does it:
// a commit that deleted another file is said to lack the whiteout of
// /bin/less (layerlab read the image's layers once the commit's name came
// in the events); the commit of the container that deleted /bin/less is
// done.
func TestTheWhiteoutExerciseDoneInAnotherTerminal(t *testing.T) {
	_, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	dockertest.PreserveTag(t, api, "cow-mine:v1")
	ctx := context.Background()
	m, cmd := liveModel(t, reg.Host)
	m.opts.Live = true
	at := -1
	for i, l := range m.opts.Lessons {
		if l.ID == "copy-on-write" {
			at = i
		}
	}
	nm, _ := m.openLesson(at)
	m = nm.(Model)
	last := len(m.lesson().Steps) - 1
	name := "layerlab-test-cow-" + reg.Nonce
	run := func(sh string) {
		dockertest.Exec(t, api, name, sh)
		dockertest.Commit(t, api, name, "cow-mine:v1")
	}
	phase := 0
	var wrong string
	m = drive(t, m, cmd, 90*time.Second, func(m Model, msg tea.Msg) bool {
		s := m.work.eng.Steps[engine.StepKey{Lesson: "copy-on-write", Index: last}]
		switch phase {
		case 0:
			if m.daemon.events.live {
				pullAs(t, api, reg.Host+"/library/busybox:latest", "busybox:latest")
				id := dockertest.UserContainer(t, api, "busybox:latest", name)
				if err := api.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
					t.Fatal(err)
				}
				run("rm /bin/vi") // the wrong file
				phase = 1
			}
		case 1:
			if s != nil && s.Why.Code == engine.WhyNoWhiteout {
				wrong = i18n.WhyText(&i18n.English, s.Why)
				run("rm /bin/less")
				phase = 2
			}
		case 2:
			return s != nil && s.Status == engine.Done
		}
		return false
	})
	if !strings.Contains(wrong, "cow-mine:v1 exists, but its own layer has no whiteout of /bin/less") {
		t.Errorf("the wrong commit said %q", wrong)
	}
	m.daemon.events.quitting = true
	m.daemon.events.cancel()
}

// TestAFailedCommandIsAFailedStep: an exec whose command exits non-zero is
// shown as failed, with its exit code and what it printed, not "✓ done";
// a zero exit is done.
func TestAFailedCommandIsAFailedStep(t *testing.T) {
	t.Parallel()
	m, idx := openAt(t, 120, 40, "containers", func(st *lessons.Step) bool { return st.Kind == lessons.KindExec })
	l := m.lesson()
	k := engine.StepKey{Lesson: l.ID, Index: idx}
	failed := &docker.ExecResult{Stderr: "rm: can't remove '/etc/motd': No such file or directory\n", ExitCode: 1}
	m = update1(m, stepDoneMsg{engine.Outcome{Key: k, At: fixedNow, Exec: failed}})
	if s := m.work.eng.Steps[k]; s.Status != engine.Failed {
		t.Fatalf("exit code 1 is %v, want failed", s.Status)
	}
	card := flatten(ansi.Strip(m.painter().Card(m.cardOf(l, l.Steps[idx]), 120)))
	for _, want := range []string{"failed", "exit code 1", "can't remove '/etc/motd'"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q: %s", want, card)
		}
	}
	if strings.Contains(card, "✓ done") {
		t.Errorf("a failed command shown as done: %s", card)
	}
	m = update1(m, stepDoneMsg{engine.Outcome{Key: k, At: fixedNow, Exec: &docker.ExecResult{}}})
	if s := m.work.eng.Steps[k]; s.Status != engine.Done {
		t.Errorf("exit code 0 is %v, want done", s.Status)
	}
}

// TestARemovalIsDoneOnlyAfterTheImageWasThere: "remove pyubuntu:mine" is not
// done when pyubuntu:mine never existed; it is once the learner made it and
// then removed it.
func TestARemovalIsDoneOnlyAfterTheImageWasThere(t *testing.T) {
	t.Parallel()
	m, idx := openAt(t, 120, 40, "rmi", func(st *lessons.Step) bool {
		return st.Kind == lessons.KindCheck && strings.HasPrefix(st.Arg, "removed ")
	})
	l := m.lesson()
	k := engine.StepKey{Lesson: l.ID, Index: idx}
	bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
	m = update1(m, snapshotMsg{images: []docker.Image{bb}})
	if s := m.work.eng.Steps[k]; s.Status == engine.Done || !strings.Contains(i18n.WhyText(&i18n.English, s.Why), "there is no pyubuntu:mine on your daemon") {
		t.Fatalf("never there: %+v", s)
	}
	mine := docker.Image{ID: "sha256:mine", Repo: "pyubuntu", Tag: "mine"}
	m = update1(m, snapshotMsg{images: []docker.Image{mine, bb}})
	if s := m.work.eng.Steps[k]; s.Status == engine.Done || !strings.Contains(i18n.WhyText(&i18n.English, s.Why), "still there") {
		t.Fatalf("there: %+v", s)
	}
	m = update1(m, snapshotMsg{images: []docker.Image{bb}})
	if s := m.work.eng.Steps[k]; s.Status != engine.Done {
		t.Fatalf("removed after it was there: %+v", s)
	}
}
