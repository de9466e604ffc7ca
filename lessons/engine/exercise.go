package engine

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agext/levenshtein"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
	"github.com/layerlab/layerlab/lessons"
)

// Exercises are done with the real docker CLI in the learner's own terminal.
// layerlab sees the daemon change (its events) and checks the daemon's state:
// a check that is not met says precisely what is missing, as a Why.

// WhyCode is what an exercise still misses; a front end words it.
type WhyCode int

// The reasons an exercise is not done yet. Args of each, in order:
const (
	WhyNone             WhyCode = iota
	WhyImageMissing             // ref
	WhyStillThere               // ref
	WhyNeverThere               // ref: a removal, of an image that never was there
	WhyContainerStopped         // ref, the stopped container's name
	WhyContainerMissing         // ref
	WhyBuiltLessons             // ref, file: the image there is the lesson's own build
	WhyBuiltMissing             // ref, file
	WhyBuiltDefault             // ref, file: built from ./Dockerfile, not file
	WhyBuiltOther               // ref, file, the CMD it has
	WhyCommitLessons            // ref: the image there is the lesson's own commit
	WhyCommitMissing            // ref
	WhySameLayers               // ref, base
	WhyNotOnBase                // ref, base
	// WhyNearMiss: ref is not there, but a name one or two letters from it
	// is (the learner's typo): ref, the name there.
	WhyNearMiss
	// WhyRemovalBlocked: ref is still there because a container uses it
	// (docker rmi refuses): ref, the container, its state.
	WhyRemovalBlocked
	// What was there before the exercise was shown does not count: the
	// image named ref (WhyImageBefore: ref; WhyCommitBefore: ref;
	// WhyBuiltBefore: ref, file) was not pulled, tagged, committed or built
	// since; the running container (WhyContainerBefore: ref, its name) was
	// started before.
	WhyImageBefore
	WhyContainerBefore
	WhyCommitBefore
	WhyBuiltBefore
	// A removal that only untagged: ref is gone, but the image it named is
	// still there. WhyUntagged: under other names (ref, its short id, the
	// names joined by ", ", the names joined by " " as docker rmi takes
	// them); WhyUntaggedHeld: as <none>, because a container uses it (ref,
	// the short id, the container, its state); WhyUntaggedBare: as <none>
	// (ref, the short id).
	WhyUntagged
	WhyUntaggedHeld
	WhyUntaggedBare
	// WhyNoWhiteout: the learner's commit ref is there, but its own layer
	// holds no whiteout of the path: ref, the path.
	WhyNoWhiteout
	// A reload (docker save, docker rmi, docker load of the same image),
	// each with ref: no image is named ref (WhyReloadMissing), or the
	// learner removed it and is to load it back (WhyReloadLoadBack); ref is
	// there but not saved since the exercise was shown (WhyReloadNotSaved),
	// saved but not removed since (WhyReloadNotRemoved), there again but
	// not by a load (WhyReloadNotLoaded), or loaded by the lesson's own step
	// (WhyReloadLessons).
	WhyReloadMissing
	WhyReloadLoadBack
	WhyReloadNotSaved
	WhyReloadNotRemoved
	WhyReloadNotLoaded
	WhyReloadLessons
	// A "smaller REF SIZE" exercise: REF is not there (WhySmallerMissing:
	// ref), is a lesson step's build (WhySmallerLessons: ref), was there
	// before (WhySmallerBefore: ref), or is not under SIZE (WhyTooBig: ref,
	// its size in bytes, SIZE as written).
	WhySmallerMissing
	// WhySmallerNotBuilt: REF names an image that was there before the
	// exercise and no lesson step built (a retag): ref.
	WhySmallerNotBuilt
	WhySmallerLessons
	WhySmallerBefore
	WhyTooBig
	// A volume exercise: the volume name (WhyVolumeMissing: ref) is not
	// there; is the lesson's own (WhyVolumeLessons: ref); was there before
	// the exercise was shown (WhyVolumeBefore: ref); no container of the
	// learner's was started with it since (WhyMountMissing: ref).
	WhyVolumeMissing
	WhyVolumeLessons
	WhyVolumeBefore
	WhyMountMissing
)

// Why is an exercise's missing part, with what the words need.
type Why struct {
	Code WhyCode
	Args []string
}

// Verdict is an exercise's state on the daemon as it is now.
type Verdict struct {
	Done bool
	Why  Why
}

func why(c WhyCode, args ...string) Verdict { return Verdict{Why: Why{Code: c, Args: args}} }

// World is the daemon's picture an exercise is checked against: its lists,
// the layers of each image id, the settings of the images read so far (by
// the name they were read by), and the lesson's Dockerfiles (by path in its
// workspace); and what the daemon's events said the learner did (Did)
// since the exercise was shown (Since, the daemon's clock). Only that
// counts: an image or a running container that matches but was there
// before does not (nil Did: nothing was seen happen).
type World struct {
	Images     []docker.Image
	Containers []docker.Container
	Volumes    []docker.Volume
	DiffIDs    map[string][]string
	Stacks     map[string]docker.LayerStack
	Files      map[string]string
	// Layers are the files of each image's layers (as docker save exports
	// them), by image id, for a "whiteout" check: read on request
	// (NeedLayers).
	Layers map[string][]docker.LayerFiles
	Did    *Activity
	Since  time.Time
	// Built are the images the lesson's own build steps made (by id): the
	// same steps built again from the cache make the same image.
	Built map[string]bool
	// Offset is the daemon's clock less this machine's (the steps' times
	// are this machine's, the events' the daemon's).
	Offset time.Duration
	// builtEnd is when (the daemon's clock) the lesson's last build step
	// that made each image ended, by id: a build of the learner's from the
	// cache makes the very image, and names it later.
	builtEnd map[string]time.Time
}

// Evaluate checks one exercise (a check step's argument) against the world.
// A removal is judged on the picture alone here; CheckExercises adds what
// it saw before (the image was there, then it went, and not only its name).
func Evaluate(arg string, w World) Verdict {
	f := strings.Fields(arg)
	if len(f) < 2 {
		return Verdict{}
	}
	ref := docker.Familiar(f[1])
	img, found := FindImage(w.Images, ref)
	made := func(ref string) bool { return w.Did.NamedSince(ref, w.Since) }
	switch f[0] {
	case "volume", "mounted":
		return evaluateVolume(f[0], f[1], w)
	case "image":
		if !found {
			return nearMiss(w, ref, why(WhyImageMissing, ref))
		}
		if !made(ref) {
			return why(WhyImageBefore, ref)
		}
		return Verdict{Done: true}
	case "reloaded":
		if !found {
			return nearMiss(w, ref, why(WhyReloadMissing, ref))
		}
		switch w.Did.Reload(img.ID, w.Since) {
		case 0:
			return why(WhyReloadNotSaved, ref)
		case 1:
			return why(WhyReloadNotRemoved, ref)
		case 2:
			return why(WhyReloadNotLoaded, ref)
		}
		if img.Owned {
			return why(WhyReloadLessons, ref)
		}
		return Verdict{Done: true}
	case "removed":
		if found {
			for _, c := range w.Containers {
				if c.ImageID == img.ID {
					return why(WhyRemovalBlocked, ref, c.Name, c.State)
				}
			}
			return why(WhyStillThere, ref)
		}
		return Verdict{Done: true}
	case "container":
		var stopped, before *docker.Container
		for i, c := range w.Containers {
			if c.Owned {
				continue // the exercise is the learner's own, not a lesson step's
			}
			if docker.Familiar(c.Image) == ref || (found && c.ImageID == img.ID) {
				switch {
				case c.State == "running" && w.Did.StartedSince(c.ID, w.Since):
					return Verdict{Done: true}
				case c.State == "running":
					before = &w.Containers[i] // it ran before the exercise was shown
				default:
					stopped = &w.Containers[i]
				}
			}
		}
		switch {
		case before != nil:
			return why(WhyContainerBefore, ref, before.Name)
		case stopped != nil:
			return why(WhyContainerStopped, ref, stopped.Name)
		}
		return why(WhyContainerMissing, ref)
	case "built":
		if len(f) < 3 {
			return Verdict{}
		}
		file := f[2]
		if found && lessonsBuild(w, img, ref) {
			// The lesson's own build step made it: the exercise is the learner's.
			return why(WhyBuiltLessons, ref, file)
		}
		if !found {
			return nearMiss(w, ref, why(WhyBuiltMissing, ref, file))
		}
		if !made(ref) {
			return why(WhyBuiltBefore, ref, file)
		}
		st, ok := w.Stacks[ref]
		if !ok || st.ID != img.ID {
			return Verdict{} // its settings are being read
		}
		got := CmdText(st.Config.Cmd)
		if want := dockerfile.Analyze(w.Files[file]).Cmd; squash(want) == squash(got) {
			return Verdict{Done: true}
		}
		if def := dockerfile.Analyze(w.Files["Dockerfile"]).Cmd; def != "" && squash(def) == squash(got) {
			return why(WhyBuiltDefault, ref, file)
		}
		return why(WhyBuiltOther, ref, file, got)
	case "smaller":
		if len(f) < 3 {
			return Verdict{}
		}
		limit, err := lessons.ParseSize(f[2])
		// The name is what the learner gives: the image may be one a lesson
		// step built too (BuildKit's cache makes the same image of the same
		// steps), and still the learner's build of it counts.
		switch {
		case err != nil:
			return Verdict{}
		case !found:
			return nearMiss(w, ref, why(WhySmallerMissing, ref))
		case !made(ref) && img.Owned:
			return why(WhySmallerLessons, ref)
		case !made(ref):
			return why(WhySmallerBefore, ref)
		case img.Created.Before(w.Since) && !w.Built[img.ID]:
			// A name given to an image that was there before (docker tag
			// busybox REF), not a build of the learner's.
			return why(WhySmallerNotBuilt, ref)
		case img.Size >= limit:
			return why(WhyTooBig, ref, strconv.FormatInt(img.Size, 10), f[2])
		}
		return Verdict{Done: true}
	case "committed":
		if len(f) < 3 {
			return Verdict{}
		}
		base := docker.Familiar(f[2])
		if found && img.Owned {
			// An image layerlab committed is a lesson step's, not the learner's.
			return why(WhyCommitLessons, ref)
		}
		if !found {
			return nearMiss(w, ref, why(WhyCommitMissing, ref))
		}
		if !made(ref) {
			return why(WhyCommitBefore, ref)
		}
		b, ok := FindImage(w.Images, base)
		mine, theirs := w.DiffIDs[img.ID], w.DiffIDs[b.ID]
		switch {
		case !ok:
			return why(WhyImageMissing, base)
		case mine == nil || theirs == nil:
			return Verdict{} // layers not read yet: the next picture says
		case slices.Equal(mine, theirs):
			return why(WhySameLayers, ref, base)
		case len(mine) <= len(theirs) || !slices.Equal(mine[:len(theirs)], theirs):
			return why(WhyNotOnBase, ref, base)
		}
		return Verdict{Done: true}
	case "whiteout":
		if len(f) < 3 {
			return Verdict{}
		}
		switch {
		case found && img.Owned:
			return why(WhyCommitLessons, ref)
		case !found:
			return nearMiss(w, ref, why(WhyCommitMissing, ref))
		case !made(ref):
			return why(WhyCommitBefore, ref)
		}
		layers, ok := w.Layers[img.ID]
		if !ok || len(layers) == 0 {
			return Verdict{} // its layers are being read
		}
		for _, lf := range layers[len(layers)-1].Files {
			if lf.Kind == docker.Deleted && lf.Path == path.Clean("/"+f[2]) {
				return Verdict{Done: true}
			}
		}
		return why(WhyNoWhiteout, ref, path.Clean("/"+f[2]))
	}
	return Verdict{}
}

// NeedLayers are the ids of the images whose layers' files a shown
// "whiteout" exercise of l needs and w does not hold: the learner's image
// it names, once it is there and named since the exercise was shown.
func (s *Session) NeedLayers(l *lessons.Lesson, w World) []string {
	var ids []string
	for _, st := range l.Steps {
		f := strings.Fields(st.Arg)
		if st.Kind != lessons.KindCheck || len(f) != 3 || f[0] != "whiteout" {
			continue
		}
		ss := s.State(StepKey{l.ID, st.Index})
		if ss.Status == Done || ss.Shown.IsZero() {
			continue
		}
		ref := docker.Familiar(f[1])
		img, found := FindImage(w.Images, ref)
		if !found || img.Owned || !s.did.NamedSince(ref, ss.Shown) {
			continue
		}
		if _, ok := w.Layers[img.ID]; !ok && !slices.Contains(ids, img.ID) {
			ids = append(ids, img.ID)
		}
	}
	return ids
}

// evaluateVolume judges "volume NAME" (the learner created the volume since
// the exercise was shown: docker volume create, or a run -v of a new name)
// and "mounted NAME" (since then, a container of the learner's was started
// with it: docker run -v NAME:/path, or docker start of one).
func evaluateVolume(kind, name string, w World) Verdict {
	var vol *docker.Volume
	for i := range w.Volumes {
		if w.Volumes[i].Name == name {
			vol = &w.Volumes[i]
		}
	}
	switch {
	case vol == nil:
		return why(WhyVolumeMissing, name)
	case vol.Owned:
		return why(WhyVolumeLessons, name)
	case kind == "volume" && !w.Did.VolumeCreatedSince(name, w.Since):
		return why(WhyVolumeBefore, name)
	case kind == "volume":
		return Verdict{Done: true}
	}
	for _, id := range w.Did.MountedSince(name, w.Since) {
		owned := false
		for _, c := range w.Containers {
			if c.ID == id && c.Owned {
				owned = true
			}
		}
		if !owned {
			return Verdict{Done: true}
		}
	}
	return why(WhyMountMissing, name)
}

// nearMiss is otherwise, unless an image of the learner's has a name one or
// two letters away from ref (pyubuntu:int, pyubuntu:mnie for pyubuntu:mine):
// then that is what to say.
func nearMiss(w World, ref string, otherwise Verdict) Verdict {
	best, bestD := "", 3
	for _, im := range w.Images {
		if im.Owned {
			continue
		}
		for _, name := range append([]string{im.Ref()}, im.AllTags...) {
			if name == "<none>:<none>" || name == ref {
				continue
			}
			if d := levenshtein.Distance(name, ref, nil); d < bestD {
				best, bestD = name, d
			}
		}
	}
	if best == "" {
		return otherwise
	}
	return why(WhyNearMiss, ref, best)
}

// lessonsBuild reports whether the image ref names is the lesson's own
// build: one of layerlab's, or one a build step made, not named again
// after that step ended (a build of the learner's that the cache made the
// same image, BuildKit's or Podman's, names it later).
func lessonsBuild(w World, img docker.Image, ref string) bool {
	end, ok := w.builtEnd[img.ID]
	if !ok {
		return img.Owned
	}
	return !w.Did.NamedSince(ref, end)
}

// FindImage is the image that has ref among its names.
func FindImage(images []docker.Image, ref string) (docker.Image, bool) {
	for _, im := range images {
		for _, t := range append(append([]string{im.Ref()}, im.AllTags...), im.ShortNames...) {
			if t == ref {
				return im, true
			}
		}
	}
	return docker.Image{}, false
}

// ShowExercises notes that the lesson's exercises are shown from at (the
// daemon's clock) if they were not before: what the learner does from then
// on counts, nothing from before. An exercise not shown yet is not judged.
// It reports whether one was shown now (it is worth judging).
func (s *Session) ShowExercises(l *lessons.Lesson, at time.Time) (now bool) {
	for _, st := range l.Steps {
		if st.Kind != lessons.KindCheck {
			continue
		}
		if ss := s.State(StepKey{l.ID, st.Index}); ss.Shown.IsZero() {
			ss.Shown, now = at, true
		}
	}
	return now
}

// Saw folds the daemon's events into the session: what the learner did,
// for the exercises, and the containers removed, for the steps that
// started them (FollowContainers).
func (s *Session) Saw(evs ...docker.Event) { s.did.Saw(evs...) }

// CheckExercises marks the lesson's shown exercises done when the world
// shows them done by what the learner did since (the events the session
// saw), and keeps each one's Why. It returns the names of the images whose
// settings a check still needs read (a "built" check), for the front end
// to read into w.Stacks.
func (s *Session) CheckExercises(l *lessons.Lesson, w World) (need []string) {
	w.Did = s.did
	w.Built, w.builtEnd = map[string]bool{}, map[string]time.Time{}
	for _, st := range l.Steps {
		if ss := s.Steps[StepKey{l.ID, st.Index}]; ss != nil && ss.BuildRes != nil {
			id := ss.BuildRes.ImageID
			w.Built[id] = true
			if end := ss.Started.Add(ss.Elapsed).Add(w.Offset); end.After(w.builtEnd[id]) {
				w.builtEnd[id] = end
			}
		}
	}
	for _, st := range l.Steps {
		if st.Kind != lessons.KindCheck {
			continue
		}
		ss := s.State(StepKey{l.ID, st.Index})
		if ss.Status == Done || ss.Shown.IsZero() {
			continue
		}
		w.Since = ss.Shown
		f := strings.Fields(st.Arg)
		var v Verdict
		switch {
		case len(f) > 1 && f[0] == "removed":
			v = removal(ss, st.Arg, docker.Familiar(f[1]), w)
		case len(f) > 1 && f[0] == "reloaded":
			v = reload(ss, st.Arg, docker.Familiar(f[1]), w)
		default:
			v = Evaluate(st.Arg, w)
		}
		if v.Done {
			ss.Status, ss.Note, ss.Err, ss.Why = Done, NoteNone, nil, Why{}
			continue
		}
		ss.Why = v.Why
		if len(f) > 1 && f[0] == "built" {
			ref := docker.Familiar(f[1])
			if im, ok := FindImage(w.Images, ref); ok && w.Stacks[ref].ID != im.ID {
				need = append(need, ref)
			}
		}
	}
	return need
}

// removal judges "removed ref": done means the learner removed the image,
// so it was there (since the exercise was shown), then it went, and not only
// its name: docker rmi of one name of an image that has others only
// untags, and the image stays.
func removal(ss *StepState, arg, ref string, w World) Verdict {
	if img, there := FindImage(w.Images, ref); there {
		ss.SeenTarget, ss.TargetID = true, img.ID
		return Evaluate(arg, w)
	}
	if !ss.SeenTarget {
		return why(WhyNeverThere, ref)
	}
	var names []string
	still := false
	for _, im := range w.Images {
		if im.ID == ss.TargetID {
			still = true
			for _, n := range Names(im) {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	if !still {
		return Verdict{Done: true}
	}
	id := docker.ShortID(ss.TargetID)
	if len(names) > 0 {
		return why(WhyUntagged, ref, id, strings.Join(names, ", "), strings.Join(names, " "))
	}
	for _, c := range w.Containers {
		if c.ImageID == ss.TargetID {
			return why(WhyUntaggedHeld, ref, id, c.Name, c.State)
		}
	}
	return why(WhyUntaggedBare, ref, id)
}

// Names are an image's names (REPO:TAG), none for a dangling one.
func Names(im docker.Image) []string {
	var out []string
	for _, n := range append([]string{im.Repo + ":" + im.Tag}, im.AllTags...) {
		if !strings.HasPrefix(n, "<none>") && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// CmdText is an image's Cmd as a Dockerfile would write it.
func CmdText(cmd []string) string {
	if len(cmd) == 3 && cmd[0] == "/bin/sh" && cmd[1] == "-c" {
		return cmd[2]
	}
	q := make([]string, len(cmd))
	for i, c := range cmd {
		q[i] = fmt.Sprintf("%q", c)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// reload judges "reloaded ref", keeping the image ref named when last seen:
// once the learner removed it, the card says to load it back.
func reload(ss *StepState, arg, ref string, w World) Verdict {
	if img, there := FindImage(w.Images, ref); there {
		ss.TargetID = img.ID
		return Evaluate(arg, w)
	}
	if ss.TargetID != "" && w.Did.Reload(ss.TargetID, w.Since) == 2 {
		return why(WhyReloadLoadBack, ref)
	}
	return Evaluate(arg, w)
}

// ImagesOf are the rows docker images REF lists: with REF a repository
// (shrink), that repository's; with REPO:TAG, that one; "" lists all.
func ImagesOf(images []docker.Image, ref string) []docker.Image {
	if ref == "" {
		return images
	}
	var out []docker.Image
	for _, im := range images {
		if im.Repo == ref || im.Repo+":"+im.Tag == ref {
			out = append(out, im)
		}
	}
	return out
}
