package engine

import (
	"context"
	"path/filepath"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// Runner is the daemon as running every kind of step needs it: Daemon, and
// the two long operations, which report their progress as they go.
// *docker.Client is one.
type Runner interface {
	Daemon
	Pull(ctx context.Context, ref docker.Ref, o docker.PullOptions, onUpdate func(docker.PullProgress)) (docker.PullResult, error)
	Build(ctx context.Context, o docker.BuildOptions, onUpdate func(docker.BuildProgress)) (docker.BuildResult, error)
}

var _ Runner = (*docker.Client)(nil)

// Env is where a session's steps run: the lessons' workspaces (by lesson
// id, once made), the registry mirror, the clock.
type Env struct {
	Workspaces map[string]string
	Mirror     string
	Now        func() time.Time
}

func (e Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// Run runs one step to its end and returns its state. It is the whole step
// machine for a front end that waits (plain mode): a screen runs the same
// steps in the background, through the same parts (Prepare and Do,
// PreparePull and FinishPull, BuildOptions and FinishBuild, RmiTarget,
// FinishTable), so that both say the same. progress, if not nil, sees a
// pull's or a build's progress as it comes (docker.PullProgress,
// docker.BuildProgress). An edit step and an exercise do not run: the
// learner does them.
func (s *Session) Run(ctx context.Context, r Runner, env Env, l *lessons.Lesson, st *lessons.Step, progress func(any)) *StepState {
	k := StepKey{Lesson: l.ID, Index: st.Index}
	ss := s.State(k)
	ss.Note = NoteNone
	switch st.Kind {
	case lessons.KindDockerfile, lessons.KindCheck:
		return ss
	case lessons.KindPull:
		ref, err := s.PreparePull(l, st)
		if err != nil {
			ss.Status, ss.Err = Failed, err
			return ss
		}
		s.Begin(k, env.now())
		res, err := r.Pull(ctx, ref, docker.PullOptions{Mirror: env.Mirror, Lesson: l.ID}, func(p docker.PullProgress) {
			ss.Observe(p, env.now())
			if progress != nil {
				progress(p)
			}
		})
		return s.FinishPull(k, res, err, env.now())
	case lessons.KindImages, lessons.KindPs:
		s.Begin(k, env.now())
		images, err := r.Images(ctx)
		var containers []docker.Container
		if err == nil {
			containers, err = r.Containers(ctx, true)
		}
		return s.FinishTable(k, TableShot{Images: images, Containers: containers}, err, env.now())
	case lessons.KindVolumes:
		s.Begin(k, env.now())
		vols, err := r.Volumes(ctx)
		return s.FinishTable(k, TableShot{Volumes: vols}, err, env.now())
	case lessons.KindRmi:
		images, err := r.Images(ctx)
		if err != nil {
			ss.Status, ss.Err = Failed, err
			return ss
		}
		target := s.RmiTarget(l, st, images)
		if target == "" {
			ss.Note = NoteNoDangling
			return ss
		}
		s.BeginRemoval(k, env.now(), target, false)
		res, err := r.RemoveImage(ctx, target, false)
		return s.Finish(st, Outcome{Key: k, Err: err, At: env.now(), Removed: &res})
	case lessons.KindAppend:
		dir, ok := env.Workspaces[l.ID]
		if !ok {
			ss.Note, ss.NoteArg = NoteFileMissing, st.Arg
			return ss
		}
		s.Begin(k, env.now())
		return s.FinishAppend(st, k, dir, env.now())
	case lessons.KindBuild:
		dir, ok := env.Workspaces[l.ID]
		if !ok {
			ss.Note, ss.NoteArg = NoteFileMissing, st.Arg
			return ss
		}
		o, err := s.BuildOptions(l, st, dir)
		if err != nil {
			ss.Status, ss.Err = Failed, err
			return ss
		}
		s.Begin(k, env.now())
		var renamed [2]string
		for i, t := range o.Tags {
			alt, rn, err := FreeName(ctx, r, t, s.LessonName(l, st))
			if err != nil {
				return s.FinishBuild(st, k, docker.BuildResult{}, renamed, err, env.now())
			}
			if rn[0] != "" {
				o.Tags[i], renamed = alt, rn
			}
		}
		res, err := r.Build(ctx, o, func(p docker.BuildProgress) {
			ss.Build = &p
			if progress != nil {
				progress(p)
			}
		})
		return s.FinishBuild(st, k, res, renamed, err, env.now())
	}
	c, ok, err := s.Prepare(l, st)
	switch {
	case !ok:
		return ss
	case err != nil:
		ss.Status, ss.Err = Failed, err
		return ss
	}
	if st.Kind == lessons.KindSave || st.Kind == lessons.KindTarList || st.Kind == lessons.KindLoad {
		dir, ok := env.Workspaces[l.ID]
		if !ok {
			ss.Note, ss.NoteArg = NoteFileMissing, c.File
			return ss
		}
		c.Dir = dir
	}
	if dir, ok := env.Workspaces[l.ID]; ok {
		c.InWorkspace(dir)
	}
	s.Begin(k, env.now())
	return s.Finish(st, c.Do(ctx, r))
}

// PreparePull is the image a pull step pulls: the learner's edit or the
// lesson's reference (an invalid one is the error, a *docker.Error).
func (s *Session) PreparePull(l *lessons.Lesson, st *lessons.Step) (docker.Ref, error) {
	return docker.ParseRef(s.Ref(l, st))
}

// FinishPull folds a pull's end into its step.
func (s *Session) FinishPull(k StepKey, res docker.PullResult, err error, at time.Time) *StepState {
	ss := s.State(k)
	ss.Progress = res.Progress
	ss.Elapsed = at.Sub(ss.Started)
	if err != nil {
		ss.Status, ss.Err = Failed, err
		return ss
	}
	ss.Status, ss.Err, ss.Result = Done, nil, &res
	return ss
}

// FinishTable ends a docker images / docker ps step on the daemon's answer
// to the step's own read: done, with the picture it showed (a finished card
// keeps it, whatever changes later), or failed with the error. A daemon that
// did not answer (docker.KindNoAnswer: frozen, overloaded) fails the step:
// it is never done with a list read before.
func (s *Session) FinishTable(k StepKey, shot TableShot, err error, at time.Time) *StepState {
	ss := s.State(k)
	if ss.Status != Running {
		return ss // not waiting for a read (Begin starts it)
	}
	ss.Elapsed = at.Sub(ss.Started)
	if err != nil {
		ss.Status, ss.Err, ss.Table = Failed, err, nil
		return ss
	}
	if shot.At.IsZero() {
		shot.At = at
	}
	ss.Status, ss.Err, ss.Table = Done, nil, &shot
	return ss
}

// RmiTarget is what an rmi step removes: the learner's edit or the lesson's
// reference; "<none>" becomes the id of the newest untagged image the lesson
// made among images ("" when there is none).
func (s *Session) RmiTarget(l *lessons.Lesson, st *lessons.Step, images []docker.Image) string {
	ref := s.Ref(l, st)
	if ref != lessons.Dangling {
		return ref
	}
	var best *docker.Image
	for i, im := range images {
		if im.Repo == "<none>" && im.Owned && im.Lesson == l.ID &&
			(best == nil || im.Created.After(best.Created)) {
			best = &images[i]
		}
	}
	if best == nil {
		return ""
	}
	return docker.ShortID(best.ID)
}

// BeginRemoval marks an rmi step running from now, on target, forced or not.
func (s *Session) BeginRemoval(k StepKey, now time.Time, target string, force bool) *StepState {
	ss := s.Begin(k, now)
	ss.Forced, ss.Target = force, target
	return ss
}

// BuildOptions turns a build step into `docker build` options on the
// lesson's workspace dir.
func (s *Session) BuildOptions(l *lessons.Lesson, st *lessons.Step, dir string) (docker.BuildOptions, error) {
	o := docker.BuildOptions{ContextDir: filepath.Join(dir, filepath.FromSlash(st.Arg)), Lesson: l.ID, Root: dir, BuildKit: st.Builder != "classic"}
	if st.File != "" {
		o.Dockerfile = filepath.Join(dir, filepath.FromSlash(st.File))
	}
	if t := s.Ref(l, st); t != "" {
		r, err := docker.ParseRef(t)
		if err != nil {
			return o, err
		}
		o.Tags = []docker.Ref{r}
	}
	return o, nil
}

// FinishBuild folds a build's end into its step: done, failed, or done
// because it failed as the lesson meant it to (renamed: the lesson's tag
// that was the learner's, and the one used instead).
func (s *Session) FinishBuild(st *lessons.Step, k StepKey, res docker.BuildResult, renamed [2]string, err error, at time.Time) *StepState {
	ss := s.State(k)
	s.NoteRenamed(ss, renamed, false)
	p := res.Progress
	ss.Build, ss.BuildRes = &p, &res
	ss.Elapsed = at.Sub(ss.Started)
	switch {
	case err != nil && Expected(st, err):
		ss.Status, ss.Err, ss.Expected = Done, err, true
	case err != nil:
		ss.Status, ss.Err = Failed, err
	default:
		ss.Status, ss.Err = Done, nil
	}
	return ss
}
