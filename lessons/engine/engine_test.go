package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
)

// fake is a daemon in memory: the calls it got, and what it answers.
type fake struct {
	calls []string
	// taken are the names that are the learner's (a free one replaces them).
	taken map[string]bool
	exit  int
	err   error
}

var _ Daemon = (*fake)(nil)

func (f *fake) note(s string) { f.calls = append(f.calls, s) }

func (f *fake) Images(context.Context) ([]docker.Image, error)               { return nil, nil }
func (f *fake) Containers(context.Context, bool) ([]docker.Container, error) { return nil, nil }
func (f *fake) FreeContainerName(_ context.Context, name string) (string, error) {
	if f.taken[name] {
		return name + "-2", nil
	}
	return name, nil
}
func (f *fake) RunContainer(_ context.Context, image, name, lesson string) (docker.Container, error) {
	f.note("run " + name + " " + image + " " + lesson)
	return docker.Container{Name: name, Image: image}, f.err
}
func (f *fake) Exec(_ context.Context, ctr, cmd string) (docker.ExecResult, error) {
	f.note("exec " + ctr + " " + cmd)
	return docker.ExecResult{ExitCode: f.exit}, f.err
}
func (f *fake) Writable(_ context.Context, ctr string) (docker.WritableLayer, error) {
	f.note("diff " + ctr)
	return docker.WritableLayer{}, f.err
}
func (f *fake) FreeName(_ context.Context, ref docker.Ref) (docker.Ref, error) {
	if f.taken[ref.String()] {
		return docker.ParseRef(ref.String() + "-2")
	}
	return ref, nil
}
func (f *fake) Commit(_ context.Context, ctr string, ref docker.Ref, lesson string) (docker.CommitResult, error) {
	f.note("commit " + ctr + " " + ref.String())
	return docker.CommitResult{Ref: ref}, f.err
}
func (f *fake) Tag(_ context.Context, src string, dst docker.Ref, lesson string) (docker.TagResult, error) {
	f.note("tag " + src + " " + dst.String())
	return docker.TagResult{Target: dst}, f.err
}
func (f *fake) RemoveContainer(_ context.Context, ctr string) error {
	f.note("rm " + ctr)
	return f.err
}
func (f *fake) RunOnce(_ context.Context, image, lesson string) (docker.ExecResult, error) {
	f.note("start " + image)
	return docker.ExecResult{}, f.err
}
func (f *fake) RemoveImage(_ context.Context, target string, force bool) (docker.RemoveResult, error) {
	f.note("rmi " + target)
	return docker.RemoveResult{}, f.err
}

func (f *fake) SaveFile(_ context.Context, refs []string, root, file string) (docker.SaveResult, error) {
	f.note("save " + strings.Join(refs, " ") + " " + file)
	if f.err != nil {
		return docker.SaveResult{}, f.err
	}
	var ims []dockertest.ArchiveImage
	for _, r := range refs {
		ims = append(ims, dockertest.ArchiveImage{Tag: r, Layers: []string{"busybox", r}})
	}
	s := dockertest.Archive(false, ims...)
	p := filepath.Join(root, filepath.FromSlash(file))
	if err := os.WriteFile(p, s.Bytes, 0o600); err != nil {
		return docker.SaveResult{}, err
	}
	return docker.SaveResult{Refs: refs, IDs: s.ConfigIDs, File: file, Bytes: int64(len(s.Bytes))}, nil
}
func (f *fake) LoadFile(_ context.Context, root, file string, want []string, lesson string) (docker.LoadResult, error) {
	f.note("load " + file + " " + strings.Join(want, ","))
	if len(want) == 0 {
		return docker.LoadResult{}, &docker.Error{Kind: docker.KindArchive, Archive: docker.ArchiveNotSaved}
	}
	return docker.LoadResult{File: file, Loaded: []string{"files-demo:v1"}, IDs: want}, f.err
}
func (f *fake) History(_ context.Context, ref string) ([]docker.HistoryRow, error) {
	f.note("history " + ref)
	return []docker.HistoryRow{{ID: "sha256:" + strings.Repeat("ab", 32), CreatedBy: "RUN rm /big"}}, f.err
}
func (f *fake) Run(_ context.Context, o docker.RunOptions) (docker.Container, error) {
	var vs []string
	for _, m := range o.Volumes {
		vs = append(vs, m.String())
	}
	f.note("run " + o.Name + " " + o.Image + " " + o.Lesson + " -v " + strings.Join(vs, ","))
	return docker.Container{Name: o.Name, Image: o.Image}, f.err
}
func (f *fake) FreeVolumeName(_ context.Context, name string) (string, error) {
	if f.taken[name] {
		return name + "-2", nil
	}
	return name, nil
}
func (f *fake) CreateVolume(_ context.Context, name, lesson string) (docker.Volume, error) {
	f.note("volume create " + name + " " + lesson)
	return docker.Volume{Name: name, Driver: "local", Owned: true, Lesson: lesson}, f.err
}
func (f *fake) RemoveVolume(_ context.Context, name string) error {
	f.note("volume rm " + name)
	return f.err
}
func (f *fake) Volumes(context.Context) ([]docker.Volume, error) {
	f.note("volume ls")
	return nil, f.err
}

func lesson(t *testing.T, id string) *lessons.Lesson {
	t.Helper()
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no lesson %s", id)
	return nil
}

func stepOf(t *testing.T, l *lessons.Lesson, k lessons.Kind) *lessons.Step {
	t.Helper()
	for _, st := range l.Steps {
		if st.Kind == k {
			return st
		}
	}
	t.Fatalf("lesson %s has no %s step", l.ID, k)
	return nil
}

// run prepares, makes and finishes one step's call, as a front end does.
func run(t *testing.T, s *Session, d Daemon, l *lessons.Lesson, st *lessons.Step) *StepState {
	t.Helper()
	c, ok, err := s.Prepare(l, st)
	if !ok || err != nil {
		t.Fatalf("prepare %s: ok=%v %v", st.Kind, ok, err)
	}
	s.Begin(c.Key, time.Now())
	return s.Finish(st, c.Do(context.Background(), d))
}

func TestTheCommitLessonRunsItsCallsInOrder(t *testing.T) {
	t.Parallel()
	l, s, d := lesson(t, "commit"), NewSession(), &fake{}
	for _, k := range []lessons.Kind{lessons.KindRun, lessons.KindExec, lessons.KindCommit} {
		if ss := run(t, s, d, l, stepOf(t, l, k)); ss.Status != Done {
			t.Fatalf("%s: %v %v", k, ss.Status, ss.Err)
		}
	}
	want := []string{"run layerlab-commit-1 busybox commit", "exec layerlab-commit-1 echo hi > /hello.txt && mkdir /app", "commit layerlab-commit-1 pyubuntu:init"}
	if !slices.Equal(d.calls, want) {
		t.Errorf("calls:\n%q\nwant\n%q", d.calls, want)
	}
	if p := s.Progress(); len(p.Done["commit"]) != 3 {
		t.Errorf("progress: %+v", p)
	}
}

func TestALearnersNameIsNeverTakenAndTheNextStepsFollow(t *testing.T) {
	t.Parallel()
	l, s := lesson(t, "commit"), NewSession()
	d := &fake{taken: map[string]bool{"layerlab-commit-1": true, "pyubuntu:init": true}}
	run(t, s, d, l, stepOf(t, l, lessons.KindRun))
	ss := run(t, s, d, l, stepOf(t, l, lessons.KindCommit))
	if ss.Renamed != [2]string{"pyubuntu:init", "pyubuntu:init-2"} || ss.RenamedContainer {
		t.Errorf("the commit's name: %+v", ss.Renamed)
	}
	if got := s.Named("pyubuntu:init"); got != "pyubuntu:init-2" {
		t.Errorf("later steps use %s", got)
	}
	if got := s.Ctr("layerlab-commit-1"); got != "layerlab-commit-1-2" {
		t.Errorf("later steps use the container %s", got)
	}
	if d.calls[len(d.calls)-1] != "commit layerlab-commit-1-2 pyubuntu:init-2" {
		t.Errorf("calls: %q", d.calls)
	}
	// The learner's own edit is never replaced: the daemon layer refuses it.
	st := stepOf(t, l, lessons.KindCommit)
	s.State(StepKey{l.ID, st.Index}).Ref = "pyubuntu:init"
	c, _, _ := s.Prepare(l, st)
	if c.LessonName {
		t.Error("an edit of the learner's was marked the lesson's own")
	}
}

func TestAFailedCommandIsAFailedStepUnlessExpected(t *testing.T) {
	t.Parallel()
	l := lesson(t, "commit")
	st := stepOf(t, l, lessons.KindExec)
	if ss := run(t, NewSession(), &fake{exit: 1}, l, st); ss.Status != Failed || ss.Exec.ExitCode != 1 {
		t.Errorf("exit 1: %v", ss.Status)
	}
	expect := *st
	expect.Expect = "fail"
	if ss := run(t, NewSession(), &fake{exit: 1}, l, &expect); ss.Status != Done {
		t.Errorf("an expected failure: %v", ss.Status)
	}
	conflict := &docker.Error{Kind: docker.KindConflict}
	rm := stepOf(t, l, lessons.KindRun)
	meant := *rm
	meant.Expect = "conflict"
	if ss := run(t, NewSession(), &fake{err: conflict}, l, &meant); ss.Status != Done || !ss.Expected {
		t.Errorf("the refusal the lesson meant: %v %v", ss.Status, ss.Expected)
	}
	if ss := run(t, NewSession(), &fake{err: conflict}, l, rm); ss.Status != Failed {
		t.Errorf("a refusal nobody meant: %v", ss.Status)
	}
}

func TestEditsAreValidatedBeforeTheyAreKept(t *testing.T) {
	t.Parallel()
	if err := ValidateEdit(lessons.KindExec, "  "); !errors.Is(err, ErrEmptyCommand) {
		t.Errorf("an empty command: %v", err)
	}
	if err := ValidateEdit(lessons.KindCommit, "Bad:Name"); docker.KindOf(err) != docker.KindBadReference {
		t.Errorf("a bad name: %v", err)
	}
	if err := ValidateEdit(lessons.KindRmi, lessons.Dangling); err != nil {
		t.Errorf("<none>: %v", err)
	}
	if err := ValidateEdit(lessons.KindBuild, ""); err != nil {
		t.Errorf("a build without -t: %v", err)
	}
	l := lesson(t, "commit")
	st := stepOf(t, l, lessons.KindCommit)
	s := NewSession()
	s.State(StepKey{l.ID, st.Index}).Ref = "Bad:Name"
	if _, ok, err := s.Prepare(l, st); !ok || docker.KindOf(err) != docker.KindBadReference {
		t.Errorf("prepare with a bad edit: %v %v", ok, err)
	}
}

func TestProgressRoundTrips(t *testing.T) {
	t.Parallel()
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	p := lessons.Progress{Done: map[string][]int{"commit": {0, 2}, "nope": {1}}, Lesson: "commit", Step: 99}
	s := NewSession()
	at := s.Restore(ls, p)
	if at < 0 || ls[at].ID != "commit" || s.Selected["commit"] != len(ls[at].Steps)-1 {
		t.Errorf("restored at %d, step %d", at, s.Selected["commit"])
	}
	if got := s.Progress(); !slices.Equal(got.Done["commit"], []int{0, 2}) || got.Done["nope"] != nil {
		t.Errorf("progress: %+v", got)
	}
}

func TestExercisesAreJudgedOnTheWorld(t *testing.T) {
	t.Parallel()
	bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
	mine := docker.Image{ID: "sha256:m", Repo: "pyubuntu", Tag: "mine"}
	shown := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	did := NewActivity()
	did.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:m", Name: "pyubuntu:mine", Time: shown.Add(time.Minute)})
	w := World{Images: []docker.Image{bb, mine}, DiffIDs: map[string][]string{"sha256:bb": {"a"}, "sha256:m": {"a", "b"}}, Did: did, Since: shown}
	if v := Evaluate("committed pyubuntu:mine busybox", w); !v.Done {
		t.Errorf("committed: %+v", v)
	}
	w.DiffIDs["sha256:m"] = []string{"a"}
	if v := Evaluate("committed pyubuntu:mine busybox", w); v.Done || v.Why.Code != WhySameLayers || !slices.Equal(v.Why.Args, []string{"pyubuntu:mine", "busybox:latest"}) {
		t.Errorf("same layers: %+v", v)
	}
	// A removal is done only when the image was seen first.
	l := &lessons.Lesson{ID: "x", Steps: []*lessons.Step{{Kind: lessons.KindCheck, Arg: "removed pyubuntu:mine"}}}
	s := NewSession()
	s.ShowExercises(l, shown)
	s.CheckExercises(l, World{Images: []docker.Image{bb}})
	if ss := s.State(StepKey{"x", 0}); ss.Status == Done || ss.Why.Code != WhyNeverThere {
		t.Errorf("never there: %+v", ss)
	}
	s.CheckExercises(l, World{Images: []docker.Image{bb, mine}})
	s.CheckExercises(l, World{Images: []docker.Image{bb}})
	if ss := s.State(StepKey{"x", 0}); ss.Status != Done {
		t.Errorf("seen, then removed: %+v", ss)
	}
	// A built check asks for the image's settings it has not read.
	b := &lessons.Lesson{ID: "b", Steps: []*lessons.Step{{Kind: lessons.KindCheck, Arg: "built pyubuntu:mine Dockerfile"}}}
	bs := NewSession()
	bs.ShowExercises(b, shown)
	bs.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:m", Name: "pyubuntu:mine", Time: shown.Add(time.Second)})
	if need := bs.CheckExercises(b, World{Images: []docker.Image{mine}}); !slices.Equal(need, []string{"pyubuntu:mine"}) {
		t.Errorf("need %q", need)
	}
}

// TestAnExerciseCountsWhatTheLearnerDidSinceItWasShown: an exercise is
// judged on the daemon's events since it was shown, not on whatever
// matches. A container of busybox's image id started before layerlab
// showed the exercise does not count, however it runs; one started after
// does. The same for an image pulled, committed or built before: its name
// must be given again (pull, tag, commit, build) after. An exercise not
// shown yet is not judged at all.
func TestAnExerciseCountsWhatTheLearnerDidSinceItWasShown(t *testing.T) {
	t.Parallel()
	shown := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	before, after := shown.Add(-time.Hour), shown.Add(time.Minute)
	bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
	b136 := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "1.36"}
	mine := docker.Image{ID: "sha256:m", Repo: "pyubuntu", Tag: "mine"}
	old := docker.Container{ID: "c0ld", Name: "oldbox", Image: "sha256:bb", ImageID: "sha256:bb", State: "running"}
	l := &lessons.Lesson{ID: "x", Steps: []*lessons.Step{
		{Index: 0, Kind: lessons.KindCheck, Arg: "container busybox"},
		{Index: 1, Kind: lessons.KindCheck, Arg: "image busybox:1.36"},
		{Index: 2, Kind: lessons.KindCheck, Arg: "committed pyubuntu:mine busybox:latest"},
	}}
	w := World{Images: []docker.Image{bb, b136, mine}, Containers: []docker.Container{old},
		DiffIDs: map[string][]string{"sha256:bb": {"a"}, "sha256:m": {"a", "b"}}}
	s := NewSession()
	// Not shown yet: nothing is judged, nothing is said.
	s.CheckExercises(l, w)
	for i := range 3 {
		if ss := s.State(StepKey{"x", i}); ss.Status == Done || ss.Why.Code != WhyNone {
			t.Fatalf("step %d judged before it was shown: %+v", i, ss)
		}
	}
	s.ShowExercises(l, shown)
	// What happened before it was shown: the old container's start, the
	// pull of busybox:1.36, the commit of pyubuntu:mine.
	s.Saw(docker.Event{Type: "container", Action: "start", ID: "c0ld", Name: "oldbox", Time: before},
		docker.Event{Type: "image", Action: "pull", ID: "busybox:1.36", Name: "busybox", Time: before},
		docker.Event{Type: "image", Action: "tag", ID: "sha256:m", Name: "pyubuntu:mine", Time: before})
	s.CheckExercises(l, w)
	want := []struct {
		code WhyCode
		args []string
	}{{WhyContainerBefore, []string{"busybox:latest", "oldbox"}}, {WhyImageBefore, []string{"busybox:1.36"}}, {WhyCommitBefore, []string{"pyubuntu:mine"}}}
	for i, wnt := range want {
		if ss := s.State(StepKey{"x", i}); ss.Status == Done || ss.Why.Code != wnt.code || !slices.Equal(ss.Why.Args, wnt.args) {
			t.Errorf("step %d, all of it from before: %+v, want %v %v", i, ss, wnt.code, wnt.args)
		}
	}
	// Showing again later changes nothing: it counts from the first time.
	s.ShowExercises(l, after.Add(time.Hour))
	// The learner does it: a new container (its create and start), the pull
	// again (up to date: the daemon says pull all the same), the commit.
	w.Containers = append(w.Containers, docker.Container{ID: "c9ew", Name: "mybox", Image: "busybox", ImageID: "sha256:bb", State: "running"})
	s.Saw(docker.Event{Type: "container", Action: "create", ID: "c9ew", Name: "mybox", Time: after},
		docker.Event{Type: "container", Action: "start", ID: "c9ew", Name: "mybox", Time: after},
		docker.Event{Type: "image", Action: "pull", ID: "busybox:1.36", Name: "busybox", Time: after},
		docker.Event{Type: "image", Action: "tag", ID: "sha256:m", Name: "pyubuntu:mine", Time: after})
	s.CheckExercises(l, w)
	for i := range 3 {
		if ss := s.State(StepKey{"x", i}); ss.Status != Done {
			t.Errorf("step %d, done after it was shown: %+v", i, ss)
		}
	}
	// A built check: the name given before does not count, given again does.
	bl := &lessons.Lesson{ID: "b", Steps: []*lessons.Step{{Kind: lessons.KindCheck, Arg: "built pyubuntu:init Dockerfile"}}}
	init := docker.Image{ID: "sha256:i", Repo: "pyubuntu", Tag: "init"}
	bw := World{Images: []docker.Image{init}, Files: map[string]string{"Dockerfile": "FROM busybox\nCMD [\"hi\"]\n"},
		Stacks: map[string]docker.LayerStack{"pyubuntu:init": {ID: "sha256:i", Config: docker.ImageConfig{Cmd: []string{"hi"}}}}}
	bs := NewSession()
	bs.ShowExercises(bl, shown)
	bs.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:i", Name: "pyubuntu:init", Time: before})
	bs.CheckExercises(bl, bw)
	if ss := bs.State(StepKey{"b", 0}); ss.Status == Done || ss.Why.Code != WhyBuiltBefore || !slices.Equal(ss.Why.Args, []string{"pyubuntu:init", "Dockerfile"}) {
		t.Errorf("built before: %+v", ss)
	}
	bs.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:i", Name: "pyubuntu:init", Time: after})
	bs.CheckExercises(bl, bw)
	if ss := bs.State(StepKey{"b", 0}); ss.Status != Done {
		t.Errorf("built after: %+v", ss)
	}
}

// TestARemovalThatOnlyUntaggedIsNotDone: docker tag pyubuntu:mine
// pyubuntu:mine2; docker rmi pyubuntu:mine removes a name, not the image:
// the exercise says so, and what is still to do; removing the last name
// deletes the image and the exercise is done. An image left as <none>
// (a container holds it) says which container.
func TestARemovalThatOnlyUntaggedIsNotDone(t *testing.T) {
	t.Parallel()
	l := &lessons.Lesson{ID: "x", Steps: []*lessons.Step{{Kind: lessons.KindCheck, Arg: "removed pyubuntu:mine"}}}
	k := StepKey{"x", 0}
	bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
	id := "sha256:0123456789abcdef0123"
	mine := docker.Image{ID: id, Repo: "pyubuntu", Tag: "mine", AllTags: []string{"pyubuntu:mine", "pyubuntu:mine2"}}
	mine2 := docker.Image{ID: id, Repo: "pyubuntu", Tag: "mine2", AllTags: []string{"pyubuntu:mine", "pyubuntu:mine2"}}
	s := NewSession()
	s.ShowExercises(l, time.Now())
	s.CheckExercises(l, World{Images: []docker.Image{bb, mine, mine2}})
	if ss := s.State(k); ss.Why.Code != WhyStillThere {
		t.Fatalf("both names there: %+v", ss)
	}
	// docker rmi pyubuntu:mine: "Untagged: pyubuntu:mine", the image stays.
	only2 := docker.Image{ID: id, Repo: "pyubuntu", Tag: "mine2", AllTags: []string{"pyubuntu:mine2"}}
	s.CheckExercises(l, World{Images: []docker.Image{bb, only2}})
	ss := s.State(k)
	if ss.Status == Done || ss.Why.Code != WhyUntagged || !slices.Equal(ss.Why.Args, []string{"pyubuntu:mine", "0123456789ab", "pyubuntu:mine2", "pyubuntu:mine2"}) {
		t.Fatalf("untagged only: %+v", ss)
	}
	// Left as <none>, held by a container (rmi -f on the containerd store).
	held := docker.Image{ID: id, Repo: "<none>", Tag: "<none>"}
	ctr := docker.Container{Name: "mybox", ImageID: id, State: "exited"}
	s.CheckExercises(l, World{Images: []docker.Image{bb, held}, Containers: []docker.Container{ctr}})
	if ss := s.State(k); ss.Status == Done || ss.Why.Code != WhyUntaggedHeld || !slices.Equal(ss.Why.Args, []string{"pyubuntu:mine", "0123456789ab", "mybox", "exited"}) {
		t.Fatalf("held as <none>: %+v", ss)
	}
	s.CheckExercises(l, World{Images: []docker.Image{bb, held}})
	if ss := s.State(k); ss.Status == Done || ss.Why.Code != WhyUntaggedBare {
		t.Fatalf("<none>: %+v", ss)
	}
	// docker rmi pyubuntu:mine2: the image is deleted.
	s.CheckExercises(l, World{Images: []docker.Image{bb}})
	if ss := s.State(k); ss.Status != Done {
		t.Fatalf("deleted: %+v", ss)
	}
}

// TestARunStepFollowsItsContainer: the container a run step started is
// removed from the learner's terminal: once the daemon's events said so,
// the step is Gone (not before: a list read before the container was made
// is no proof), and the exec step that needs it knows which step starts it
// again. A step restored done from an earlier session (its container's id
// unknown) is gone when no container has its name.
func TestARunStepFollowsItsContainer(t *testing.T) {
	t.Parallel()
	l := lesson(t, "containers")
	runSt, execSt := stepOf(t, l, lessons.KindRun), stepOf(t, l, lessons.KindExec)
	s := NewSession()
	s.Begin(StepKey{l.ID, runSt.Index}, time.Now())
	ct := docker.Container{ID: "c1d", Name: s.Ctr(runSt.Name), Image: "busybox", State: "running"}
	ss := s.Finish(runSt, Outcome{Key: StepKey{l.ID, runSt.Index}, Container: &ct, At: time.Now()})
	if ss.ContainerID != "c1d" {
		t.Fatalf("the run step keeps no container id: %+v", ss)
	}
	ls := []*lessons.Lesson{l}
	if gone := s.FollowContainers(ls, nil); len(gone) > 0 || ss.Gone {
		t.Fatalf("a list without it, and no event: gone %v", gone)
	}
	s.Saw(docker.Event{Type: "container", Action: "destroy", ID: "c1d", Name: ct.Name, Time: time.Now()})
	if gone := s.FollowContainers(ls, []docker.Container{ct}); len(gone) > 0 {
		t.Fatalf("still in the list: gone %v", gone)
	}
	if gone := s.FollowContainers(ls, nil); !slices.Equal(gone, []string{ct.Name}) || !ss.Gone || ss.Status != Done {
		t.Fatalf("removed: gone %v, %+v", gone, ss)
	}
	if r, ok := s.GoneContainer(l, execSt); !ok || r != runSt {
		t.Errorf("the exec step does not know its container is gone: %v %v", r, ok)
	}
	// Run again: its container is back, the steps after it may run.
	s.Begin(StepKey{l.ID, runSt.Index}, time.Now())
	ct2 := docker.Container{ID: "c2d", Name: ct.Name, State: "running"}
	s.Finish(runSt, Outcome{Key: StepKey{l.ID, runSt.Index}, Container: &ct2, At: time.Now()})
	if _, ok := s.GoneContainer(l, execSt); ok || s.State(StepKey{l.ID, runSt.Index}).Gone {
		t.Error("run again, still gone")
	}
	// Restored done from an earlier session: no id, no container of that name.
	r := NewSession()
	r.Restore(ls, lessons.Progress{Done: map[string][]int{l.ID: {runSt.Index}}})
	if gone := r.FollowContainers(ls, []docker.Container{{ID: "other", Name: "not-it"}}); !slices.Equal(gone, []string{runSt.Name}) {
		t.Errorf("restored, its container not there: gone %v", gone)
	}
}

func TestAWorkspaceKeepsTheLearnersFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	l := lesson(t, "build")
	w, err := OpenWorkspace(root, "", "en", l)
	if err != nil || len(w.Files) == 0 {
		t.Fatalf("%v %v", w, err)
	}
	p := filepath.Join(w.Dir, "Dockerfile")
	if err := SaveFile(p, "FROM busybox\n"); err != nil {
		t.Fatal(err)
	}
	w2, err := OpenWorkspace(root, "", "en", l)
	if err != nil || w2.Files["Dockerfile"] != "FROM busybox\n" {
		t.Errorf("the learner's Dockerfile was replaced: %q %v", w2.Files["Dockerfile"], err)
	}
	pack := t.TempDir()
	if err := os.Symlink(t.TempDir(), filepath.Join(pack, "workspace")); err != nil {
		t.Fatal(err)
	}
	var le *LinkError
	if _, err := OpenWorkspace(t.TempDir(), pack, "en", l); !errors.As(err, &le) {
		t.Errorf("a linked pack workspace: %v", err)
	}
}

func TestATypoAndABlockedRemovalAreNamed(t *testing.T) {
	t.Parallel()
	bb := docker.Image{ID: "sha256:bb", Repo: "busybox", Tag: "latest"}
	typo := docker.Image{ID: "sha256:t", Repo: "pyubuntu", Tag: "int"}
	mine := docker.Image{ID: "sha256:m", Repo: "pyubuntu", Tag: "mine"}
	for _, arg := range []string{"committed pyubuntu:init busybox", "image pyubuntu:init"} {
		v := Evaluate(arg, World{Images: []docker.Image{bb, typo}})
		if v.Why.Code != WhyNearMiss || !slices.Equal(v.Why.Args, []string{"pyubuntu:init", "pyubuntu:int"}) {
			t.Errorf("%s: %+v", arg, v)
		}
	}
	if v := Evaluate("image pyubuntu:init", World{Images: []docker.Image{bb}}); v.Why.Code != WhyImageMissing {
		t.Errorf("nothing near: %+v", v)
	}
	owned := typo
	owned.Owned = true
	if v := Evaluate("image pyubuntu:init", World{Images: []docker.Image{bb, owned}}); v.Why.Code != WhyImageMissing {
		t.Errorf("the lesson's own image is no typo of the learner's: %+v", v)
	}
	stopped := docker.Container{Name: "mybox", ImageID: "sha256:m", State: "exited"}
	v := Evaluate("removed pyubuntu:mine", World{Images: []docker.Image{bb, mine}, Containers: []docker.Container{stopped}})
	if v.Why.Code != WhyRemovalBlocked || !slices.Equal(v.Why.Args, []string{"pyubuntu:mine", "mybox", "exited"}) {
		t.Errorf("blocked: %+v", v)
	}
}

// TestAWorkspaceSpeaksTheLearnersLanguage: a Korean learner's workspace has
// the seeds' comments in Korean, every other line as the English seed has
// it; an English learner's, the English seed.
func TestAWorkspaceSpeaksTheLearnersLanguage(t *testing.T) {
	t.Parallel()
	l := lesson(t, "build")
	en, err := OpenWorkspace(t.TempDir(), "", "en", l)
	if err != nil {
		t.Fatal(err)
	}
	ko, err := OpenWorkspace(t.TempDir(), "", "ko", l)
	if err != nil {
		t.Fatal(err)
	}
	e, k := strings.Split(en.Files["Dockerfile"], "\n"), strings.Split(ko.Files["Dockerfile"], "\n")
	if len(e) != len(k) || !strings.HasPrefix(k[0], "# 레슨") || e[0] == k[0] || strings.Join(e[1:], "\n") != strings.Join(k[1:], "\n") {
		t.Errorf("en:\n%s\nko:\n%s", en.Files["Dockerfile"], ko.Files["Dockerfile"])
	}
}

// TestASwitchOfLanguageRewordsOnlyUneditedSeeds: a learner who opened the
// build lesson in English and goes on in Korean gets the Korean comments in
// a Dockerfile they never edited (found by a learner: the English comments
// stayed); a file they edited stays as they left it, in either language.
func TestASwitchOfLanguageRewordsOnlyUneditedSeeds(t *testing.T) {
	t.Parallel()
	l := lesson(t, "build")
	root := t.TempDir()
	en, err := OpenWorkspace(root, "", "en", l)
	if err != nil {
		t.Fatal(err)
	}
	ko, err := OpenWorkspace(root, "", "ko", l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ko.Files["Dockerfile"], "# 레슨") {
		t.Errorf("an unedited seed kept the English comments:\n%s", ko.Files["Dockerfile"])
	}
	back, err := OpenWorkspace(root, "", "en", l)
	if err != nil || back.Files["Dockerfile"] != en.Files["Dockerfile"] {
		t.Errorf("back in English: %v\n%s", err, back.Files["Dockerfile"])
	}
	mine := back.Files["Dockerfile"] + "RUN echo mine\n"
	if err := os.WriteFile(filepath.Join(back.Dir, "Dockerfile"), []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := OpenWorkspace(root, "", "ko", l)
	if err != nil || again.Files["Dockerfile"] != mine {
		t.Errorf("an edited file was rewritten: %v\n%s", err, again.Files["Dockerfile"])
	}
}

// TestAWhiteoutExerciseReadsTheCommitsOwnLayer: "whiteout REF PATH" asks
// for the layers of the learner's REF once it is named since the exercise
// was shown (not before, not for the lesson's own commit), and is done when
// REF's own layer hides PATH; a whiteout in a layer below, or another path
// deleted, is said to be missing, with the path.
func TestAWhiteoutExerciseReadsTheCommitsOwnLayer(t *testing.T) {
	t.Parallel()
	shown := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	mine := docker.Image{ID: "sha256:m", Repo: "cow-mine", Tag: "v1"}
	l := &lessons.Lesson{ID: "cow", Steps: []*lessons.Step{{Kind: lessons.KindCheck, Arg: "whiteout cow-mine:v1 /bin/less"}}}
	s := NewSession()
	w := World{Images: []docker.Image{mine}}
	if need := s.NeedLayers(l, w); need != nil {
		t.Errorf("not shown, yet it asks for %q", need)
	}
	s.ShowExercises(l, shown)
	if need := s.NeedLayers(l, w); need != nil {
		t.Errorf("named before it was shown, yet it asks for %q", need)
	}
	s.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:m", Name: "cow-mine:v1", Time: shown.Add(time.Minute)})
	if need := s.NeedLayers(l, w); !slices.Equal(need, []string{"sha256:m"}) {
		t.Errorf("need %q", need)
	}
	ss := s.State(StepKey{"cow", 0})
	if s.CheckExercises(l, w); ss.Status == Done || ss.Why.Code != WhyNone {
		t.Errorf("judged before its layers were read: %+v", ss)
	}
	below := docker.LayerFiles{Files: []docker.LayerFile{{Path: "/bin/less", Kind: docker.Deleted}}}
	top := docker.LayerFiles{Files: []docker.LayerFile{{Path: "/bin", Kind: docker.Changed, Dir: true}, {Path: "/bin/vi", Kind: docker.Deleted, Whiteout: "/bin/.wh.vi"}}}
	w.Layers = map[string][]docker.LayerFiles{"sha256:m": {below, top}}
	if need := s.NeedLayers(l, w); need != nil {
		t.Errorf("read, yet it asks for %q", need)
	}
	if s.CheckExercises(l, w); ss.Status == Done || ss.Why.Code != WhyNoWhiteout || !slices.Equal(ss.Why.Args, []string{"cow-mine:v1", "/bin/less"}) {
		t.Errorf("another path deleted: %+v", ss)
	}
	top.Files = append(top.Files, docker.LayerFile{Path: "/bin/less", Kind: docker.Deleted, Whiteout: "/bin/.wh.less"})
	w.Layers["sha256:m"] = []docker.LayerFiles{below, top}
	if s.CheckExercises(l, w); ss.Status != Done {
		t.Errorf("the whiteout is there: %+v", ss)
	}
	// The lesson's own commit of that name does not count.
	owned := mine
	owned.Owned = true
	if v := Evaluate("whiteout cow-mine:v1 /bin/less", World{Images: []docker.Image{owned}, Layers: w.Layers}); v.Done || v.Why.Code != WhyCommitLessons {
		t.Errorf("the lesson's commit: %+v", v)
	}
}

// TestTheCopyOnWriteLessonRunsItsCallsInOrder: the lesson's steps, run in
// the engine against its fake daemon, make the calls it shows, in order:
// the first container's changes and docker diff, the second container and
// its ls, the commit of the first.
func TestTheCopyOnWriteLessonRunsItsCallsInOrder(t *testing.T) {
	t.Parallel()
	l, s, d := lesson(t, "copy-on-write"), NewSession(), &fake{}
	for _, st := range l.Steps {
		if st.Kind == lessons.KindPull || st.Kind == lessons.KindCheck {
			continue
		}
		if ss := run(t, s, d, l, st); ss.Status != Done {
			t.Fatalf("step %d %s: %v %v", st.Index+1, st.Kind, ss.Status, ss.Err)
		}
	}
	want := []string{"run layerlab-cow-1 busybox copy-on-write", "exec layerlab-cow-1 touch /bin/busybox",
		"exec layerlab-cow-1 echo new > /notes.txt && rm /bin/cat", "diff layerlab-cow-1",
		"run layerlab-cow-2 busybox copy-on-write", "exec layerlab-cow-2 ls /bin/cat /notes.txt",
		"commit layerlab-cow-1 cow-demo:v1"}
	if !slices.Equal(d.calls, want) {
		t.Errorf("calls:\n%q\nwant\n%q", d.calls, want)
	}
}

// TestAContainerTheLessonRemovedIsRemovedByItsStep: in "Where data lives"
// the lesson's own rm step removes layerlab-vol-1: its run and exec steps
// then know which step removed it on purpose (not "start it again"); a
// container the learner removed has no such step, nor one removed after
// the run step started it again.
func TestAContainerTheLessonRemovedIsRemovedByItsStep(t *testing.T) {
	t.Parallel()
	l := lesson(t, "volumes")
	runSt, execSt, rmSt := l.Steps[1], l.Steps[2], l.Steps[3]
	if runSt.Kind != lessons.KindRun || execSt.Kind != lessons.KindExec || rmSt.Kind != lessons.KindRm || rmSt.Arg != runSt.Name {
		t.Fatalf("the lesson's steps 2-4 are not run, exec, rm of one container: %v %v %v", runSt.Kind, execSt.Kind, rmSt.Kind)
	}
	ls := []*lessons.Lesson{l}
	at := time.Now()
	start := func(s *Session, id string) {
		s.Begin(StepKey{l.ID, runSt.Index}, at)
		ct := docker.Container{ID: id, Name: s.Ctr(runSt.Name), State: "running"}
		s.Finish(runSt, Outcome{Key: StepKey{l.ID, runSt.Index}, Container: &ct, At: at})
	}
	gone := func(s *Session, id string) {
		s.Saw(docker.Event{Type: "container", Action: "destroy", ID: id, Name: s.Ctr(runSt.Name), Time: at})
		s.FollowContainers(ls, nil)
	}
	// The learner removed it: gone, and no step of the lesson did it.
	s := NewSession()
	start(s, "c1")
	gone(s, "c1")
	if _, ok := s.GoneContainer(l, execSt); !ok {
		t.Fatal("not gone")
	}
	if r, ok := s.RemovedBy(l, execSt); ok {
		t.Errorf("the learner's removal is said to be step %d's", r.Index+1)
	}
	// The lesson's rm step removed it.
	at = at.Add(time.Second)
	s.Begin(StepKey{l.ID, rmSt.Index}, at)
	s.Finish(rmSt, Outcome{Key: StepKey{l.ID, rmSt.Index}, Gone: s.Ctr(rmSt.Arg), At: at})
	for _, st := range []*lessons.Step{runSt, execSt} {
		if r, ok := s.RemovedBy(l, st); !ok || r != rmSt {
			t.Errorf("step %d does not know step %d removed its container: %v %v", st.Index+1, rmSt.Index+1, r, ok)
		}
	}
	// Started again after the rm step, then removed by the learner.
	at = at.Add(time.Second)
	start(s, "c2")
	if _, ok := s.RemovedBy(l, execSt); ok {
		t.Error("running again, still removed")
	}
	gone(s, "c2")
	if r, ok := s.RemovedBy(l, execSt); ok {
		t.Errorf("removed by the learner after a new start, said to be step %d's", r.Index+1)
	}
}

// TestAStepOnAContainerNeverMadeNamesTheStepThatMakesIt: an exec, diff or
// commit step whose container's run step has not run, or ran and failed
// (the classroom refuses the volumes lesson's bind mount), knows that step;
// once the run step is done (or its container gone since), it does not.
func TestAStepOnAContainerNeverMadeNamesTheStepThatMakesIt(t *testing.T) {
	t.Parallel()
	l := lesson(t, "volumes")
	runSt, execSt := l.Steps[1], l.Steps[2]
	if runSt.Kind != lessons.KindRun || execSt.Kind != lessons.KindExec || execSt.Arg != runSt.Name {
		t.Fatalf("the lesson's steps 2-3 are not run, exec of one container: %v %v", runSt.Kind, execSt.Kind)
	}
	at := time.Now()
	s := NewSession()
	if r, ran, ok := s.Unstarted(l, execSt); !ok || r != runSt || ran {
		t.Errorf("before the run step: %v %v %v, want step %d, not ran", r, ran, ok, runSt.Index+1)
	}
	if _, _, ok := s.Unstarted(l, runSt); ok {
		t.Error("a run step is said to need itself")
	}
	key := StepKey{l.ID, runSt.Index}
	s.Begin(key, at)
	s.Finish(runSt, Outcome{Key: key, Err: &docker.Error{Kind: docker.KindHostMount}, At: at})
	if r, ran, ok := s.Unstarted(l, execSt); !ok || r != runSt || !ran {
		t.Errorf("after the run step failed: %v %v %v, want step %d, ran", r, ran, ok, runSt.Index+1)
	}
	s.Begin(key, at)
	ct := docker.Container{ID: "c1", Name: s.Ctr(runSt.Name), State: "running"}
	s.Finish(runSt, Outcome{Key: key, Container: &ct, At: at})
	if r, _, ok := s.Unstarted(l, execSt); ok {
		t.Errorf("after the run step is done, still said to need step %d", r.Index+1)
	}
}

// TestALearnersBuildFromTheCacheCounts: the lesson's own build step names
// pyubuntu:init (its image is layerlab's); the learner's docker build of the
// same Dockerfile, all from the cache (Podman's, BuildKit's), makes that
// very image and names it again, later: that counts, as the step's own
// naming (during it, or seen only after it ended) does not. The steps'
// times are this machine's, the events' the daemon's (Offset apart).
func TestALearnersBuildFromTheCacheCounts(t *testing.T) {
	t.Parallel()
	shown := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	offset := 3 * time.Second // the daemon's clock is ahead
	l := &lessons.Lesson{ID: "build", Steps: []*lessons.Step{
		{Index: 0, Kind: lessons.KindBuild, Arg: ".", Tag: "pyubuntu:init", File: "path/to/Dockerfile"},
		{Index: 1, Kind: lessons.KindCheck, Arg: "built pyubuntu:init path/to/Dockerfile"},
	}}
	init := docker.Image{ID: "sha256:i", Repo: "pyubuntu", Tag: "init", Owned: true, Lesson: "build"}
	w := World{Images: []docker.Image{init}, Files: map[string]string{"path/to/Dockerfile": "FROM busybox\nCMD [\"hi\"]\n"},
		Stacks: map[string]docker.LayerStack{"pyubuntu:init": {ID: "sha256:i", Config: docker.ImageConfig{Cmd: []string{"hi"}}}}, Offset: offset}
	s := NewSession()
	s.ShowExercises(l, shown)
	// The step ran from shown+10s to shown+15s (the daemon's clock), and its
	// build named the image at shown+14s.
	ss := s.State(StepKey{"build", 0})
	ss.Status, ss.Started, ss.Elapsed = Done, shown.Add(10*time.Second-offset), 5*time.Second
	ss.BuildRes = &docker.BuildResult{ImageID: "sha256:i", PreviousIDs: map[string]string{"docker.io/library/pyubuntu:init": ""}}
	s.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:i", Name: "pyubuntu:init", Time: shown.Add(14 * time.Second)})
	s.CheckExercises(l, w)
	if st := s.State(StepKey{"build", 1}); st.Status == Done || st.Why.Code != WhyBuiltLessons {
		t.Fatalf("the step's own build: %+v", st)
	}
	// The learner's, a minute later: the same image, from the cache.
	s.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:i", Name: "pyubuntu:init", Time: shown.Add(time.Minute)})
	s.CheckExercises(l, w)
	if st := s.State(StepKey{"build", 1}); st.Status != Done {
		t.Errorf("the learner's build from the cache: %+v", st)
	}
	// The learner's own pyubuntu:init from before, the very image the step
	// built (as pyubuntu:init-2: the name was the learner's): Podman's build
	// event names every name of the image, the learner's too, during the
	// step; that is not the learner's build.
	s2 := NewSession()
	s2.ShowExercises(l, shown)
	ss2 := s2.State(StepKey{"build", 0})
	ss2.Status, ss2.Started, ss2.Elapsed = Done, shown.Add(10*time.Second-offset), 5*time.Second
	ss2.BuildRes = &docker.BuildResult{ImageID: "sha256:i", PreviousIDs: map[string]string{"docker.io/library/pyubuntu:init-2": ""}}
	s2.Saw(docker.Event{Type: "image", Action: "tag", ID: "sha256:i", Name: "pyubuntu:init", Time: shown.Add(14 * time.Second)})
	mineBefore := init
	mineBefore.Owned, mineBefore.Lesson = false, ""
	w.Images = []docker.Image{mineBefore}
	s2.CheckExercises(l, w)
	if st := s2.State(StepKey{"build", 1}); st.Status == Done || st.Why.Code != WhyBuiltLessons {
		t.Errorf("named by the step's build, the learner's name from before: %+v", st)
	}
}
