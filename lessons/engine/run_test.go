package engine

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// runner is the fake daemon with the long operations: pulls and builds
// that report two updates, and the images it holds.
type runner struct {
	fake
	images   []docker.Image
	pullErr  error
	buildErr error
	built    docker.BuildOptions
}

var _ Runner = (*runner)(nil)

func (r *runner) Images(context.Context) ([]docker.Image, error) { return r.images, nil }

func (r *runner) Pull(_ context.Context, ref docker.Ref, o docker.PullOptions, on func(docker.PullProgress)) (docker.PullResult, error) {
	r.note("pull " + ref.String() + " " + o.Mirror)
	on(docker.PullProgress{Layers: []docker.LayerProgress{{ID: "a", Phase: docker.PhaseDownloading}}})
	p := docker.PullProgress{Done: true, Layers: []docker.LayerProgress{{ID: "a", Phase: docker.PhaseComplete}}}
	on(p)
	return docker.PullResult{Ref: ref, ImageID: "sha256:b10c", Progress: p}, r.pullErr
}

func (r *runner) Build(_ context.Context, o docker.BuildOptions, on func(docker.BuildProgress)) (docker.BuildResult, error) {
	r.built = o
	tags := ""
	for _, t := range o.Tags {
		tags += " " + t.String()
	}
	r.note("build " + filepath.Base(o.ContextDir) + tags)
	p := docker.BuildProgress{Steps: []docker.BuildStep{{Index: 1, Total: 1, Instruction: "FROM busybox", Done: true}}}
	on(p)
	return docker.BuildResult{ImageID: "sha256:feed", Progress: p}, r.buildErr
}

// TestRunRunsEveryKindOfStep: Run is the whole step machine for a front end
// that waits (plain mode): the pull lesson's pull and images, the build
// lesson's builds (its tag kept from a learner's image of that name), the
// rmi lesson's removals (an untagged image of the lesson, or a note that
// there is none), each step's state as the screen's would be.
func TestRunRunsEveryKindOfStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	env := Env{Mirror: "127.0.0.1:5000", Now: func() time.Time { return now }, Workspaces: map[string]string{"build": "/ws/build"}}

	pl, s, r := lesson(t, "pull"), NewSession(), &runner{images: []docker.Image{{ID: "sha256:b10c", Repo: "busybox", Tag: "latest"}}}
	var seen []any
	ss := s.Run(ctx, r, env, pl, stepOf(t, pl, lessons.KindPull), func(p any) { seen = append(seen, p) })
	if ss.Status != Done || ss.Result == nil || ss.Result.ImageID != "sha256:b10c" || len(seen) != 2 || !ss.Progress.Done {
		t.Fatalf("pull: %+v (progress seen %d)", ss, len(seen))
	}
	if ss := s.Run(ctx, r, env, pl, stepOf(t, pl, lessons.KindImages), nil); ss.Status != Done || ss.Table == nil || len(ss.Table.Images) != 1 {
		t.Fatalf("images: %+v", ss)
	}

	bl := lesson(t, "build")
	r.taken = map[string]bool{"pyubuntu:init": true} // the learner's own image has the lesson's name
	var tagged *StepState
	for _, st := range bl.Steps {
		if st.Kind == lessons.KindBuild && st.Tag != "" {
			tagged = s.Run(ctx, r, env, bl, st, nil)
			break
		}
	}
	if tagged == nil || tagged.Status != Done || tagged.BuildRes == nil || tagged.Renamed[0] != "pyubuntu:init" || r.built.Tags[0].String() != "pyubuntu:init-2" || r.built.Root != "/ws/build" {
		t.Fatalf("build with a taken tag: %+v, options %+v", tagged, r.built)
	}
	if ss := s.Run(ctx, r, Env{}, bl, stepOf(t, bl, lessons.KindBuild), nil); ss.Note != NoteFileMissing {
		t.Errorf("a build without its workspace: %+v", ss)
	}
	r.buildErr = &docker.Error{Kind: docker.KindBuildFailed}
	if ss := s.Run(ctx, r, env, bl, stepOf(t, bl, lessons.KindBuild), nil); ss.Status != Failed || docker.KindOf(ss.Err) != docker.KindBuildFailed {
		t.Errorf("a failed build: %+v", ss)
	}

	rl := lesson(t, "rmi")
	var dangling *lessons.Step
	for _, st := range rl.Steps {
		if st.Kind == lessons.KindRmi && st.Arg == lessons.Dangling {
			dangling = st
		}
	}
	if dangling != nil {
		if ss := s.Run(ctx, r, env, rl, dangling, nil); ss.Note != NoteNoDangling || ss.Status == Running {
			t.Errorf("rmi <none> with none: %+v", ss)
		}
		r.images = append(r.images,
			docker.Image{ID: "sha256:0ld0000000000000", Repo: "<none>", Owned: true, Lesson: "rmi", Created: now.Add(-time.Hour)},
			docker.Image{ID: "sha256:new0000000000000", Repo: "<none>", Owned: true, Lesson: "rmi", Created: now},
			docker.Image{ID: "sha256:learner000000000", Repo: "<none>", Created: now.Add(time.Hour)})
		if ss := s.Run(ctx, r, env, rl, dangling, nil); ss.Status != Done || ss.Target != "new000000000" {
			t.Errorf("rmi <none> takes the lesson's newest untagged image: %+v", ss)
		}
	}
	want := []string{"pull busybox:latest 127.0.0.1:5000", "build build pyubuntu:init-2", "build build"} // the context /ws/build/.
	if dangling != nil {
		want = append(want, "rmi new000000000")
	}
	if !slices.Equal(r.calls, want) {
		t.Errorf("calls:\n%q\nwant\n%q", r.calls, want)
	}

	r.pullErr = errors.New("no route")
	if ss := s.Run(ctx, r, env, pl, stepOf(t, pl, lessons.KindPull), nil); ss.Status != Failed || ss.Err == nil {
		t.Errorf("a failed pull: %+v", ss)
	}
	// Neither an edit nor an exercise runs: the learner does them.
	if ss := s.Run(ctx, r, env, bl, stepOf(t, bl, lessons.KindDockerfile), nil); ss.Status != Idle {
		t.Errorf("an edit step ran: %+v", ss)
	}
}

// noAnswer is a daemon that takes the calls and never answers them: each
// read ends when its context does, as the client says it.
type noAnswer struct{ runner }

func (n *noAnswer) Images(ctx context.Context) ([]docker.Image, error) {
	return nil, &docker.Error{Kind: docker.KindNoAnswer, Op: "list images"}
}

// TestATableStepIsDoneOnlyOnTheDaemonsAnswer: a docker images step is done
// with the daemon's answer to its own read; a daemon that does not answer
// (frozen) fails it, with no table, whatever was read before.
func TestATableStepIsDoneOnlyOnTheDaemonsAnswer(t *testing.T) {
	t.Parallel()
	l := lesson(t, "pull")
	st := stepOf(t, l, lessons.KindImages)
	s := NewSession()
	env := Env{Now: time.Now}
	if ss := s.Run(context.Background(), &runner{images: []docker.Image{{ID: "sha256:b", Repo: "busybox", Tag: "latest"}}}, env, l, st, nil); ss.Status != Done || ss.Table == nil {
		t.Fatalf("answered: %+v", ss)
	}
	ss := s.Run(context.Background(), &noAnswer{}, env, l, st, nil)
	if ss.Status != Failed || ss.Table != nil || docker.KindOf(ss.Err) != docker.KindNoAnswer {
		t.Fatalf("no answer: status %v, table %v, err %v", ss.Status, ss.Table, ss.Err)
	}
	// The screen's way: running, then its read's answer.
	k := StepKey{l.ID, st.Index}
	s.Begin(k, time.Now())
	if ss := s.State(k); ss.Status != Running || ss.Table != nil {
		t.Fatalf("before the answer: %+v", ss)
	}
	if ss := s.FinishTable(k, TableShot{}, &docker.Error{Kind: docker.KindNoAnswer}, time.Now()); ss.Status != Failed {
		t.Fatalf("no answer: %+v", ss)
	}
}
