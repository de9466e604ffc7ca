package engine

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// Call is a step that is one daemon call (run, exec, diff, commit, tag, rm,
// start), as the engine resolved it: names after renames, the learner's edit.
// A front end runs it (Do) wherever its I/O belongs.
type Call struct {
	Key  StepKey
	Kind lessons.Kind
	// Image is what run and start create from, and what tag names;
	// Images what a save saves.
	Image  string
	Images []string
	// Container is the container run names, and exec, diff, commit and rm act on.
	Container string
	// Cmd is the exec's command.
	Cmd string
	// Ref is the new name of a commit or tag; LessonName says it is the
	// lesson's own, so a free one replaces it when it is the learner's.
	Ref        docker.Ref
	LessonName bool
	// Dir is the lesson's workspace; File the archive a save writes, a
	// tarlist lists and a load loads (relative to Dir); Want the ids the
	// lesson saved in it (a load loads only its own save back).
	Dir, File string
	Want      []string
	// Volume is the volume a volume or rmvolume step names; Mounts a run
	// step's -v (a bind mount's Source relative to the lesson's workspace,
	// ./dir, until InWorkspace makes it a path).
	Volume string
	Mounts []docker.Mount
}

// InWorkspace makes a run step's bind mounts folders of the lesson's
// workspace dir.
func (c *Call) InWorkspace(dir string) {
	for i, m := range c.Mounts {
		if m.Bind() && !filepath.IsAbs(m.Source) {
			c.Mounts[i].Source = filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(m.Source, "./")))
		}
	}
}

// Outcome is what a Call did.
type Outcome struct {
	Key       StepKey
	Err       error
	At        time.Time
	Container *docker.Container
	Exec      *docker.ExecResult
	Commit    *docker.CommitResult
	Tagged    *docker.TagResult
	Removed   *docker.RemoveResult
	// History is what a history step read, newest first.
	History []docker.HistoryRow
	// Gone names a container the step removed.
	Gone string
	// Renamed is the lesson's name and the free one used instead ("" if
	// none); RenamedCt the same for a container's name, RenamedVol for a
	// volume's.
	Renamed, RenamedCt, RenamedVol [2]string
	Volume                         *docker.Volume
	// Mounts are what a run step mounted.
	Mounts []docker.Mount
	// Refresh names the container whose writable layer is worth reading again.
	Refresh string
	// Saved, Listed and Loaded are what a save, a tarlist and a load did.
	Saved  *docker.SaveResult
	Listed *Listing
	Loaded *docker.LoadResult
}

// Listing is what a tarlist step read: the archive, and the ids its images
// have on the daemon now (by their names; "" for one not there).
type Listing struct {
	Archive docker.Archive
	IDs     []string
}

// Prepare resolves a one-call step into its Call; ok is false for a step of
// another kind. A reference the learner edited into something invalid is
// the error (a *docker.Error).
func (s *Session) Prepare(l *lessons.Lesson, st *lessons.Step) (c Call, ok bool, err error) {
	c = Call{Key: StepKey{l.ID, st.Index}, Kind: st.Kind}
	switch st.Kind {
	case lessons.KindRun:
		c.Image, c.Container = s.Named(st.Arg), s.Ctr(st.Name)
		if st.Volume != "" {
			src, target, bind := st.VolumeParts()
			if bind {
				c.Mounts = []docker.Mount{{Source: src, Target: target}}
			} else {
				c.Mounts = []docker.Mount{{Volume: s.Vol(src), Target: target}}
			}
		}
	case lessons.KindVolume, lessons.KindRmVolume:
		c.Volume = s.Vol(st.Arg)
	case lessons.KindExec:
		c.Container, c.Cmd = s.Ctr(st.Arg), s.Ref(l, st)
	case lessons.KindDiff, lessons.KindRm:
		c.Container = s.Ctr(st.Arg)
	case lessons.KindCommit, lessons.KindTag:
		ref, err := docker.ParseRef(s.Ref(l, st))
		if err != nil {
			return c, true, err
		}
		c.Ref, c.LessonName = ref, s.LessonName(l, st)
		if st.Kind == lessons.KindCommit {
			c.Container = s.Ctr(st.Arg)
		} else {
			c.Image = s.Named(st.Arg)
		}
	case lessons.KindStart, lessons.KindHistory:
		c.Image = s.Named(st.Arg)
	case lessons.KindSave:
		for _, r := range strings.Fields(st.Arg) {
			c.Images = append(c.Images, s.Named(r))
		}
		c.File = st.File
	case lessons.KindTarList:
		c.File = st.Arg
	case lessons.KindLoad:
		c.File, c.Want = st.Arg, s.saved[l.ID+"/"+st.Arg]
	default:
		return c, false, nil
	}
	return c, true, nil
}

// Do makes the call. A name of the learner's is never moved: a lesson's own
// name that is the learner's is replaced by a free one (Outcome.Renamed),
// and the daemon layer refuses the learner's own edit onto it.
func (c Call) Do(ctx context.Context, d Daemon) Outcome {
	o := Outcome{Key: c.Key}
	defer func() { o.At = time.Now() }()
	switch c.Kind {
	case lessons.KindRun:
		free, err := d.FreeContainerName(ctx, c.Container)
		if err != nil {
			o.Err = err
			return o
		}
		if free != c.Container {
			o.RenamedCt = [2]string{c.Container, free}
		}
		var ct docker.Container
		if len(c.Mounts) > 0 {
			ct, err = d.Run(ctx, docker.RunOptions{Image: c.Image, Name: free, Lesson: c.Key.Lesson, Volumes: c.Mounts})
		} else {
			ct, err = d.RunContainer(ctx, c.Image, free, c.Key.Lesson)
		}
		o.Err, o.Container, o.Refresh, o.Mounts = err, &ct, free, c.Mounts
	case lessons.KindVolume:
		free, err := d.FreeVolumeName(ctx, c.Volume)
		if err != nil {
			o.Err = err
			return o
		}
		if free != c.Volume {
			o.RenamedVol = [2]string{c.Volume, free}
		}
		v, err := d.CreateVolume(ctx, free, c.Key.Lesson)
		o.Err, o.Volume = err, &v
	case lessons.KindRmVolume:
		o.Err = d.RemoveVolume(ctx, c.Volume)
	case lessons.KindExec:
		res, err := d.Exec(ctx, c.Container, c.Cmd)
		o.Err, o.Exec, o.Refresh = err, &res, c.Container
	case lessons.KindDiff:
		_, err := d.Writable(ctx, c.Container)
		o.Err, o.Refresh = err, c.Container
	case lessons.KindCommit:
		ref, renamed, err := FreeName(ctx, d, c.Ref, c.LessonName)
		if err != nil {
			o.Err = err
			return o
		}
		res, err := d.Commit(ctx, c.Container, ref, c.Key.Lesson)
		o.Err, o.Commit, o.Refresh, o.Renamed = err, &res, c.Container, renamed
	case lessons.KindTag:
		ref, renamed, err := FreeName(ctx, d, c.Ref, c.LessonName)
		if err != nil {
			o.Err = err
			return o
		}
		res, err := d.Tag(ctx, c.Image, ref, c.Key.Lesson)
		o.Err, o.Tagged, o.Renamed = err, &res, renamed
	case lessons.KindRm:
		o.Err = d.RemoveContainer(ctx, c.Container)
		o.Gone = c.Container
	case lessons.KindStart:
		res, err := d.RunOnce(ctx, c.Image, c.Key.Lesson)
		o.Err, o.Exec = err, &res
	case lessons.KindSave:
		res, err := d.SaveFile(ctx, c.Images, c.Dir, c.File)
		o.Err, o.Saved = err, &res
	case lessons.KindTarList:
		o.Listed, o.Err = listArchive(ctx, d, c.Dir, c.File)
	case lessons.KindLoad:
		res, err := d.LoadFile(ctx, c.Dir, c.File, c.Want, c.Key.Lesson)
		o.Err, o.Loaded = err, &res
	case lessons.KindHistory:
		o.History, o.Err = d.History(ctx, c.Image)
	}
	return o
}

// listArchive reads an archive of the workspace, and the ids its images'
// names have on the daemon (matched when the archive holds that id: the
// config's sha256, or on the containerd store the manifest's).
func listArchive(ctx context.Context, d Daemon, dir, file string) (*Listing, error) {
	a, err := docker.ArchiveFile(dir, file)
	if err != nil {
		return nil, err
	}
	images, err := d.Images(ctx)
	if err != nil {
		return nil, err
	}
	l := &Listing{Archive: a, IDs: make([]string, len(a.Images))}
	for i, im := range a.Images {
		for _, t := range im.Tags {
			if img, ok := FindImage(images, docker.Familiar(t)); ok && (img.ID == im.ConfigDigest || img.ID == im.ManifestDigest) {
				l.IDs[i] = img.ID
			}
		}
	}
	return l, nil
}

// FreeName is the name a step gives its image: ref, or for a lesson's own
// name that is the learner's, a free one of layerlab's (renamed says which).
func FreeName(ctx context.Context, d Daemon, ref docker.Ref, lessonName bool) (docker.Ref, [2]string, error) {
	if !lessonName {
		return ref, [2]string{}, nil
	}
	alt, err := d.FreeName(ctx, ref)
	if err != nil || alt.String() == ref.String() {
		return ref, [2]string{}, err
	}
	return alt, [2]string{ref.String(), alt.String()}, nil
}

// Begin marks a step running from now (keeping the learner's edit).
func (s *Session) Begin(k StepKey, now time.Time) *StepState {
	ss := s.State(k)
	*ss = StepState{Status: Running, Ref: ss.Ref, Started: now}
	return ss
}

// Finish folds what a call did into its step: done, failed (a command that
// ran and exited non-zero is failed, unless the lesson expects it), or done
// because the daemon refused as the lesson meant it to.
func (s *Session) Finish(st *lessons.Step, o Outcome) *StepState {
	ss := s.State(o.Key)
	ss.Elapsed = o.At.Sub(ss.Started)
	ss.Exec, ss.Commit, ss.Tagged, ss.History = o.Exec, o.Commit, o.Tagged, o.History
	s.NoteRenamed(ss, o.Renamed, false)
	s.NoteRenamed(ss, o.RenamedCt, true)
	s.NoteRenamedVolume(ss, o.RenamedVol)
	if o.Volume != nil && o.Err == nil {
		ss.Volume = o.Volume
	}
	if o.Err == nil {
		ss.Mounts = o.Mounts
	}
	if o.Removed != nil && o.Err == nil {
		ss.Removed = o.Removed
	}
	if o.Container != nil && o.Err == nil {
		ss.ContainerID = o.Container.ID
	}
	ss.Saved, ss.Listed, ss.Loaded = o.Saved, o.Listed, o.Loaded
	if o.Saved != nil && o.Err == nil {
		s.saved[o.Key.Lesson+"/"+o.Saved.File] = o.Saved.IDs
	}
	// What layerlab saved, removed or loaded itself is not the learner's
	// doing (a reload exercise counts theirs).
	at := o.At
	if at.IsZero() {
		at = time.Now()
	}
	if o.Saved != nil {
		for _, id := range o.Saved.IDs {
			s.did.Own(id, at)
		}
	}
	if o.Loaded != nil {
		for _, id := range o.Loaded.IDs {
			s.did.Own(id, at)
		}
	}
	if o.Removed != nil && o.Removed.ImageDeleted {
		s.did.Own(o.Removed.ImageID, at)
	}
	switch {
	case o.Err != nil && Expected(st, o.Err):
		ss.Status, ss.Err, ss.Expected = Done, o.Err, true
	case o.Err != nil:
		ss.Status, ss.Err = Failed, o.Err
	default:
		ss.Status, ss.Err = Done, nil
		if o.Exec != nil && o.Exec.ExitCode != 0 && st != nil && st.Kind == lessons.KindExec && st.Expect != "fail" {
			// The command ran and failed: not done, whatever the daemon did.
			ss.Status = Failed
		}
	}
	return ss
}

// FollowContainers follows the daemon's containers (a list it gave): a run
// step done whose container is not among them any more is Gone, and no
// longer says its container runs. A container this session started is gone
// once the daemon's events said it was removed (Saw: a list read before it
// was made is no proof); one a step of an earlier session started (its
// step restored done, its id unknown) when no container has its name.
// It returns the names of the containers found gone.
func (s *Session) FollowContainers(ls []*lessons.Lesson, containers []docker.Container) (gone []string) {
	for _, l := range ls {
		for _, st := range l.Steps {
			if st.Kind != lessons.KindRun {
				continue
			}
			ss := s.Steps[StepKey{l.ID, st.Index}]
			if ss == nil || ss.Status != Done || ss.Err != nil || ss.Gone {
				continue
			}
			name := s.Ctr(st.Name)
			there := false
			for _, c := range containers {
				if (ss.ContainerID != "" && c.ID == ss.ContainerID) || (ss.ContainerID == "" && c.Name == name) {
					there = true
					break
				}
			}
			if there || (ss.ContainerID != "" && !s.did.Destroyed(ss.ContainerID)) {
				continue
			}
			ss.Gone = true
			gone = append(gone, name)
		}
	}
	return gone
}

// GoneContainer reports, for a step that acts on a container (exec, diff,
// commit), the run step of its lesson that started that container and whose
// container is gone (FollowContainers): that step starts it again.
func (s *Session) GoneContainer(l *lessons.Lesson, st *lessons.Step) (*lessons.Step, bool) {
	switch st.Kind {
	case lessons.KindExec, lessons.KindDiff, lessons.KindCommit:
	default:
		return nil, false
	}
	name := s.Ctr(st.Arg)
	for _, r := range l.Steps {
		if r.Kind != lessons.KindRun || s.Ctr(r.Name) != name {
			continue
		}
		if ss := s.Steps[StepKey{l.ID, r.Index}]; ss != nil && ss.Gone {
			return r, true
		}
	}
	return nil, false
}

// Unstarted reports, for a step on a container (exec, diff, commit), the run
// step of its lesson that starts that container when that step is not done
// and never was (it failed, or has not run): the container the step needs
// was never made. ran says whether it ran (and failed).
func (s *Session) Unstarted(l *lessons.Lesson, st *lessons.Step) (run *lessons.Step, ran bool, ok bool) {
	switch st.Kind {
	case lessons.KindExec, lessons.KindDiff, lessons.KindCommit:
	default:
		return nil, false, false
	}
	name := s.Ctr(st.Arg)
	for _, r := range l.Steps {
		if r.Kind != lessons.KindRun || s.Ctr(r.Name) != name {
			continue
		}
		ss := s.Steps[StepKey{l.ID, r.Index}]
		switch {
		case ss == nil || ss.Status == Idle:
			return r, false, true
		case ss.Status == Failed && !ss.Gone:
			return r, true, true
		}
		return nil, false, false
	}
	return nil, false, false
}

// RemovedBy reports, for a step on a container (run, exec, diff, commit)
// whose container is gone, the rm step of its own lesson that removed it on
// purpose: done, without error, after the run step that started it. A
// container removed otherwise (by the learner, x) has no such step.
func (s *Session) RemovedBy(l *lessons.Lesson, st *lessons.Step) (*lessons.Step, bool) {
	run := st
	if st.Kind != lessons.KindRun {
		r, gone := s.GoneContainer(l, st)
		if !gone {
			return nil, false
		}
		run = r
	}
	rs := s.Steps[StepKey{l.ID, run.Index}]
	if rs == nil || !rs.Gone {
		return nil, false
	}
	name := s.Ctr(run.Name)
	for _, r := range l.Steps {
		if r.Kind != lessons.KindRm || s.Ctr(r.Arg) != name {
			continue
		}
		ss := s.Steps[StepKey{l.ID, r.Index}]
		if ss != nil && ss.Status == Done && ss.Err == nil && !ss.Started.Before(rs.Started) {
			return r, true
		}
	}
	return nil, false
}

// Own notes that layerlab itself removed image id at (x, cleanup): an
// exercise counts what the learner does after.
func (s *Session) Own(id string, at time.Time) { s.did.Own(id, at) }
