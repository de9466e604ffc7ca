package engine

import (
	"time"

	"github.com/layerlab/layerlab/docker"
)

// StepKey names one step: its lesson's id and its index in the lesson.
type StepKey struct {
	Lesson string
	Index  int
}

// Status is where a step is.
type Status int

const (
	Idle Status = iota
	Running
	Done
	Failed
)

// NoteCode is a short reason a step did not start (or what to know before
// it does); a front end words it.
type NoteCode int

const (
	NoteNone NoteCode = iota
	// NoteBusy: another step is running.
	NoteBusy
	// NoteNeedsDaemon: no daemon answers.
	NoteNeedsDaemon
	// NoteFileMissing: the step's Dockerfile (NoteArg) is not in the workspace.
	NoteFileMissing
	// NoteNoDangling: there is no <none> image to remove.
	NoteNoDangling
	// NoteContainerGone: the step's container (NoteArg) is not on the
	// daemon any more; step NoteStep (its number) starts it again.
	NoteContainerGone
	// NoteChangeToSave: the step is done once a change to its file (NoteArg)
	// is saved; opening it, or saving it unchanged, is not the change.
	NoteChangeToSave
)

// StepState is what happened to one step.
type StepState struct {
	Status Status
	Ref    string // the learner's edit of the step's value
	Err    error
	// Note is why the step did not start; NoteArg and NoteStep what its
	// words need.
	Note     NoteCode
	NoteArg  string
	NoteStep int
	// Table is what a docker images / docker ps step showed: the daemon's
	// answer to the step's own read (FinishTable). A finished card keeps
	// it, whatever changes later.
	Table *TableShot
	// Renamed is the lesson's name that was the learner's and the name of
	// layerlab's the step used instead (a container's: RenamedContainer).
	Renamed          [2]string
	RenamedContainer bool
	// RenamedVolume: Renamed is a volume's name.
	RenamedVolume bool
	// Volume is the volume a volume step created; Mounts what a run step
	// mounted (-v).
	Volume   *docker.Volume
	Mounts   []docker.Mount
	Started  time.Time
	Elapsed  time.Duration
	Progress docker.PullProgress
	Rate     float64 // bytes per second
	Result   *docker.PullResult
	Exec     *docker.ExecResult
	Commit   *docker.CommitResult
	Tagged   *docker.TagResult
	Removed  *docker.RemoveResult
	// Forced is true for an rmi run with -f; Expected when the step met the
	// failure its lesson meant it to meet.
	Forced, Expected bool
	// Target is what an rmi step removed, as resolved when it ran (an id for <none>).
	Target string
	// ContainerID is the container a run step started; Gone says the
	// daemon removed it since (FollowContainers): the step is to be run
	// again for the steps after it.
	ContainerID string
	Gone        bool
	// Shown is when an exercise was first shown (the daemon's clock): what
	// the learner did since counts, nothing from before.
	Shown time.Time
	// SeenTarget: a removal exercise has seen its image on the daemon (done
	// means it was there, then the learner removed it); TargetID is the
	// image its name named when last seen (removing the name is not enough
	// while that image is still there).
	SeenTarget bool
	TargetID   string
	// Why is what an exercise still misses; Hints how many hints are shown.
	Why   Why
	Hints int
	// Saved, Listed and Loaded are what a save, a tarlist and a load step did.
	Saved  *docker.SaveResult
	Listed *Listing
	Loaded *docker.LoadResult
	// History is what a history step read (docker history), newest first;
	// Appended what an append step did to its file.
	History  []docker.HistoryRow
	Appended *Appended
	// Build is a build step's progress, BuildRes its result.
	Build    *docker.BuildProgress
	BuildRes *docker.BuildResult
	lastAt   time.Time
	lastDone int64
}

// TableShot is the daemon's images and containers as one picture showed them.
type TableShot struct {
	Images     []docker.Image
	Containers []docker.Container
	// Volumes are a docker volume ls step's.
	Volumes []docker.Volume
	Pulled  string // the image marked as just pulled
	// At is when the daemon answered: a finished card's "2 minutes ago"
	// is read against it, as STATUS's "Up 2 minutes" was.
	At time.Time
}

// Observe folds a pull's progress in, and keeps a smoothed download rate.
func (s *StepState) Observe(p docker.PullProgress, at time.Time) {
	s.Progress = p
	done, _ := p.Bytes()
	if !s.lastAt.IsZero() {
		if dt := at.Sub(s.lastAt).Seconds(); dt > 0.2 {
			r := float64(done-s.lastDone) / dt
			if s.Rate == 0 {
				s.Rate = r
			} else {
				s.Rate = 0.7*s.Rate + 0.3*r
			}
			s.lastAt, s.lastDone = at, done
		}
	} else {
		s.lastAt, s.lastDone = at, done
	}
	s.Elapsed = at.Sub(s.Started)
}
