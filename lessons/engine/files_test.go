package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// The "An image is files" lesson runs its save, tarlist and load steps in
// the lesson's workspace: the listing matches each layer to its diff id, and
// the load loads back only the ids the save wrote.
func TestTheFilesLessonSavesListsAndLoadsItsOwnSave(t *testing.T) {
	t.Parallel()
	l, s, d := lesson(t, "image-files"), NewSession(), &runner{}
	env := Env{Workspaces: map[string]string{l.ID: t.TempDir()}}
	var saved, listed, loaded *StepState
	for _, st := range l.Steps {
		switch st.Kind {
		case lessons.KindLoad:
			// Before any save in this session: refused, with its reason.
			if ss := s.Run(context.Background(), d, env, l, st, nil); ss.Status != Failed || docker.KindOf(ss.Err) != docker.KindArchive {
				t.Fatalf("a load before the save: %v %v", ss.Status, ss.Err)
			}
		}
	}
	for _, st := range l.Steps {
		switch st.Kind {
		case lessons.KindSave, lessons.KindTarList, lessons.KindLoad:
		default:
			continue
		}
		ss := s.Run(context.Background(), d, env, l, st, nil)
		if ss.Status != Done {
			t.Fatalf("%s %s: %v %v", st.Kind, st.Arg, ss.Status, ss.Err)
		}
		switch {
		case st.Kind == lessons.KindSave && saved == nil:
			saved = ss
		case st.Kind == lessons.KindTarList && listed == nil:
			listed = ss
		case st.Kind == lessons.KindLoad:
			loaded = ss
		}
	}
	if saved.Saved == nil || len(saved.Saved.IDs) != 1 || saved.Saved.File != "files-demo.tar" {
		t.Fatalf("saved: %+v", saved.Saved)
	}
	a := listed.Listed.Archive
	if len(a.Images) != 1 || !a.LayerMatches() || a.Images[0].ConfigDigest != saved.Saved.IDs[0] {
		t.Fatalf("listed: %+v", a)
	}
	if loaded.Loaded == nil || !slices.Equal(loaded.Loaded.IDs, saved.Saved.IDs) {
		t.Fatalf("loaded %+v, saved %v", loaded.Loaded, saved.Saved.IDs)
	}
	var loads []string
	for _, c := range d.calls {
		if strings.HasPrefix(c, "load ") {
			loads = append(loads, c)
		}
	}
	if len(loads) != 2 || loads[0] != "load files-demo.tar " || loads[1] != "load files-demo.tar "+saved.Saved.IDs[0] {
		t.Errorf("loads: %q", loads)
	}
	if !slices.Contains(d.calls, "save files-demo:v1 busybox both.tar") {
		t.Errorf("calls: %q", d.calls)
	}
}

// A file step's path never leaves the workspace: a pack that tries is refused.
func TestAFileStepOutsideTheWorkspaceIsRefused(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"save: x\nto: ../x.tar", "tarlist: /etc/passwd", "load: ../../x.tar", "save: x"} {
		src := "---\nid: x\ntitle: x\n---\n```step\n" + body + "\n```\n"
		if _, err := lessons.Parse("x.md", []byte(src)); err == nil {
			t.Errorf("%q was accepted", body)
		}
	}
}

// check: reloaded REF is done when the learner saved the image, it was
// deleted, then loaded back, in that order since the exercise was shown,
// and it is not the lesson's own load; each step short of it says what is
// missing.
func TestTheReloadExercise(t *testing.T) {
	t.Parallel()
	l := lesson(t, "image-files")
	st := stepOf(t, l, lessons.KindCheck)
	shown := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	s := NewSession()
	s.ShowExercises(l, shown)
	img := docker.Image{ID: "sha256:f1", Repo: "files-demo", Tag: "v1"}
	ev := func(action string, at int) docker.Event {
		return docker.Event{Type: "image", Action: action, ID: "sha256:f1", Name: "sha256:f1", Time: shown.Add(time.Duration(at) * time.Second)}
	}
	check := func(images []docker.Image) Why {
		t.Helper()
		s.CheckExercises(l, World{Images: images})
		return s.State(StepKey{l.ID, st.Index}).Why
	}
	s.Saw(ev("save", -5)) // before it was shown: does not count
	if w := check([]docker.Image{img}); w.Code != WhyReloadNotSaved {
		t.Fatalf("not saved: %+v", w)
	}
	s.Saw(ev("save", 1))
	if w := check([]docker.Image{img}); w.Code != WhyReloadNotRemoved {
		t.Fatalf("not removed: %+v", w)
	}
	s.Saw(ev("untag", 2), ev("delete", 2))
	if w := check(nil); w.Code != WhyReloadLoadBack {
		t.Fatalf("load back: %+v", w)
	}
	s.Saw(ev("load", 3))
	owned := img
	owned.Owned = true
	if w := check([]docker.Image{owned}); w.Code != WhyReloadLessons {
		t.Fatalf("the lesson's load: %+v", w)
	}
	check([]docker.Image{img})
	if ss := s.State(StepKey{l.ID, st.Index}); ss.Status != Done {
		t.Fatalf("not done: %+v", ss.Why)
	}
	// Fresh: no image at all says to make it.
	s2 := NewSession()
	s2.ShowExercises(l, shown)
	s2.CheckExercises(l, World{})
	if w := s2.State(StepKey{l.ID, st.Index}).Why; w.Code != WhyReloadMissing {
		t.Fatalf("missing: %+v", w)
	}
}

// TestLayerlabsOwnSaveAndRemovalAreNotTheLearners: the lesson's own save
// step, or x removing the lesson's image, after the exercise is shown, does
// not count as the learner's save or removal: loading the lesson's file back
// is not done (found by a newcomer: x, then docker load of the lesson's own
// file, marked it done); the learner's own save, rmi and load after are.
func TestLayerlabsOwnSaveAndRemovalAreNotTheLearners(t *testing.T) {
	t.Parallel()
	l := lesson(t, "image-files")
	st := stepOf(t, l, lessons.KindCheck)
	shown := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return shown.Add(time.Duration(s) * time.Second) }
	s := NewSession()
	s.ShowExercises(l, shown)
	img := docker.Image{ID: "sha256:f1", Repo: "files-demo", Tag: "v1"}
	ev := func(action string, sec int) docker.Event {
		return docker.Event{Type: "image", Action: action, ID: "sha256:f1", Name: "sha256:f1", Time: at(sec)}
	}
	check := func(images []docker.Image) *StepState {
		t.Helper()
		s.CheckExercises(l, World{Images: images})
		return s.State(StepKey{l.ID, st.Index})
	}
	// The lesson's save step, then x.
	s.Saw(ev("save", 1))
	s.Finish(nil, Outcome{Key: StepKey{l.ID, 0}, At: at(1), Saved: &docker.SaveResult{IDs: []string{"sha256:f1"}}})
	s.Saw(ev("untag", 2), ev("delete", 2))
	s.Own("sha256:f1", at(2))
	s.Saw(ev("load", 3)) // the learner loads the lesson's file
	if ss := check([]docker.Image{img}); ss.Status == Done || ss.Why.Code != WhyReloadNotSaved {
		t.Fatalf("layerlab's save and removal counted: %v %+v", ss.Status, ss.Why)
	}
	s.Saw(ev("save", 4), ev("untag", 5), ev("delete", 5), ev("load", 6))
	if ss := check([]docker.Image{img}); ss.Status != Done {
		t.Errorf("the learner's own save, rmi, load: %+v", ss.Why)
	}
}
