package engine

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// TestTheVolumesLessonRunsItsCalls: every step of "Where data lives" runs
// through Run against the fake: the volume is created (under a free name
// when the learner's volume has the lesson's, and the run steps after mount
// that one), listed, refused while mounted (expected), mounted by -v; the
// bind mount is the folder of the lesson's workspace; the exercises run
// nothing.
func TestTheVolumesLessonRunsItsCalls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l, s := lesson(t, "volumes"), NewSession()
	r := &runner{images: []docker.Image{{ID: "sha256:b10c", Repo: "busybox", Tag: "latest"}}}
	r.taken = map[string]bool{"layerlab-data": true}
	env := Env{Workspaces: map[string]string{"volumes": "/ws/volumes"}}
	for _, st := range l.Steps {
		r.err = nil
		if st.Kind == lessons.KindRmVolume {
			r.err = &docker.Error{Kind: docker.KindConflict, Conflict: docker.ConflictVolumeInUse}
		}
		ss := s.Run(ctx, r, env, l, st, nil)
		switch {
		case st.Kind == lessons.KindCheck:
			if ss.Status != Idle {
				t.Errorf("step %d, an exercise, ran: %+v", st.Index+1, ss)
			}
		case ss.Status != Done:
			t.Errorf("step %d (%s): %v %v", st.Index+1, st.Kind, ss.Status, ss.Err)
		}
		if st.Kind == lessons.KindRmVolume && !ss.Expected {
			t.Errorf("the refused volume rm is not the expected failure: %+v", ss)
		}
		if st.Kind == lessons.KindVolume && (ss.Volume == nil || !ss.RenamedVolume || ss.Renamed != [2]string{"layerlab-data", "layerlab-data-2"}) {
			t.Errorf("the volume step beside the learner's volume: %+v", ss)
		}
	}
	for _, want := range []string{
		"volume create layerlab-data-2 volumes",
		"volume ls",
		"run layerlab-vol-3 busybox volumes -v layerlab-data-2:/data",
		"volume rm layerlab-data-2",
		"run layerlab-vol-bind busybox volumes -v /ws/volumes/shared:/data",
	} {
		if !slices.Contains(r.calls, want) {
			t.Errorf("no call %q in\n%q", want, r.calls)
		}
	}
}

// TestVolumeExercisesAreJudgedFromEvents: "volume NAME" is done when the
// learner created NAME after it was shown (a volume there before, or the
// lesson's own, is not); "mounted NAME" when a container of theirs (not a
// lesson's) was started with it since.
func TestVolumeExercisesAreJudgedFromEvents(t *testing.T) {
	t.Parallel()
	shown := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	theirs := []docker.Volume{{Name: "mydata", Driver: "local"}}
	a := NewActivity()
	w := World{Volumes: theirs, Did: a, Since: shown}
	if v := Evaluate("volume mydata", w); v.Done || v.Why.Code != WhyVolumeBefore {
		t.Errorf("a volume from before: %+v", v)
	}
	if v := Evaluate("volume mydata", World{Did: a, Since: shown}); v.Why.Code != WhyVolumeMissing {
		t.Errorf("no volume: %+v", v)
	}
	if v := Evaluate("volume mydata", World{Volumes: []docker.Volume{{Name: "mydata", Owned: true}}, Did: a, Since: shown}); v.Why.Code != WhyVolumeLessons {
		t.Errorf("the lesson's volume: %+v", v)
	}
	a.Saw(docker.Event{Type: "volume", Action: "create", ID: "mydata", Name: "mydata", Time: shown.Add(time.Second)})
	if v := Evaluate("volume mydata", w); !v.Done {
		t.Errorf("created since: %+v", v)
	}
	if v := Evaluate("mounted mydata", w); v.Done || v.Why.Code != WhyMountMissing {
		t.Errorf("not mounted yet: %+v", v)
	}
	a.Saw(docker.Event{Type: "volume", Action: "mount", ID: "mydata", Name: "mydata", Container: "c-lesson", Time: shown.Add(2 * time.Second)})
	w.Containers = []docker.Container{{ID: "c-lesson", Owned: true}, {ID: "c-mine"}}
	if v := Evaluate("mounted mydata", w); v.Done {
		t.Errorf("a lesson's container counted: %+v", v)
	}
	a.Saw(docker.Event{Type: "volume", Action: "mount", ID: "mydata", Name: "mydata", Container: "c-mine", Time: shown.Add(3 * time.Second)})
	if v := Evaluate("mounted mydata", w); !v.Done {
		t.Errorf("the learner's container: %+v", v)
	}
	a.Saw(docker.Event{Type: "volume", Action: "mount", ID: "old", Name: "old", Container: "c-mine", Time: shown.Add(-time.Minute)})
	if v := Evaluate("mounted old", World{Volumes: []docker.Volume{{Name: "old"}}, Did: a, Since: shown, Containers: w.Containers}); v.Done {
		t.Errorf("a mount from before: %+v", v)
	}
}
