package engine

import (
	"time"

	"github.com/layerlab/layerlab/docker"
)

// Activity is what the daemon's events said happened, each at the daemon's
// time: the names images were given, the containers started and removed.
// An exercise counts what the learner did after it was shown, read from
// here; an image or a container that was there before, however well it
// matches, does not count.
//
// The events as both image stores send them (Docker 20.10's graph drivers
// and the containerd store): a pull is an image "pull" whose actor is the
// reference pulled (busybox:1.36); a name given by docker tag, by docker
// commit NAME or by docker build -t NAME is an image "tag" whose name
// attribute is the new reference; a container started is a container
// "start" (docker run, docker start, docker restart), one removed a
// container "destroy". docker save, docker rmi that deletes the image and
// docker load are an image "save", "delete" and "load" whose actor is the
// image id (on both stores; their name attribute is the id too);
// a volume made is a volume "create" whose actor is its
// name (docker volume create, or docker run -v of a new name), and a
// container started with it a volume "mount" naming the container.
type Activity struct {
	named     map[string]time.Time // a familiar reference: last given
	started   map[string]time.Time // a container id: last started
	destroyed map[string]time.Time // a container id: removed
	// An image id: last saved, deleted, loaded.
	saved, deleted, loaded map[string]time.Time
	// own: an image id and when layerlab itself last saved, removed or
	// loaded it (a lesson's step, x): what the learner did counts after.
	own map[string]time.Time
	// volCreated: a volume's name, last created (volume "create");
	// volMounted: a volume's name and the container it was mounted in
	// (volume "mount", at each start of a container that has it).
	volCreated map[string]time.Time
	volMounted map[[2]string]time.Time
}

// NewActivity is an activity where nothing happened yet.
func NewActivity() *Activity {
	return &Activity{named: map[string]time.Time{}, started: map[string]time.Time{}, destroyed: map[string]time.Time{},
		saved: map[string]time.Time{}, deleted: map[string]time.Time{}, loaded: map[string]time.Time{}, own: map[string]time.Time{},
		volCreated: map[string]time.Time{}, volMounted: map[[2]string]time.Time{}}
}

// Saw folds the daemon's events in. An event seen twice (a stream's and the
// heartbeat's) changes nothing.
func (a *Activity) Saw(evs ...docker.Event) {
	for _, ev := range evs {
		switch {
		case ev.Type == "image" && ev.Action == "pull" && !docker.LooksLikeID(ev.ID):
			note(a.named, docker.Familiar(ev.ID), ev.Time)
		case ev.Type == "image" && ev.Action == "tag" && ev.Name != "" && !docker.LooksLikeID(ev.Name):
			note(a.named, docker.Familiar(ev.Name), ev.Time)
		case ev.Type == "container" && ev.Action == "start":
			note(a.started, ev.ID, ev.Time)
		case ev.Type == "container" && ev.Action == "destroy":
			note(a.destroyed, ev.ID, ev.Time)
		case ev.Type == "image" && ev.Action == "save":
			note(a.saved, ev.ID, ev.Time)
		case ev.Type == "image" && ev.Action == "delete":
			note(a.deleted, ev.ID, ev.Time)
		case ev.Type == "image" && ev.Action == "load":
			note(a.loaded, ev.ID, ev.Time)
		case ev.Type == "volume" && ev.Action == "create":
			note(a.volCreated, ev.Name, ev.Time)
		case ev.Type == "volume" && ev.Action == "mount" && ev.Name != "":
			k := [2]string{ev.Name, ev.Container}
			if old, ok := a.volMounted[k]; !ok || ev.Time.After(old) {
				a.volMounted[k] = ev.Time
			}
		}
	}
}

func note(m map[string]time.Time, k string, at time.Time) {
	if k == "" {
		return
	}
	if old, ok := m[k]; !ok || at.After(old) {
		m[k] = at
	}
}

// NamedSince reports whether an image was given the name ref (pulled, tagged,
// committed or built under it) at or after since.
func (a *Activity) NamedSince(ref string, since time.Time) bool {
	if a == nil {
		return false
	}
	at, ok := a.named[docker.Familiar(ref)]
	return ok && !at.Before(since)
}

// StartedSince reports whether the container id was started at or after since.
func (a *Activity) StartedSince(id string, since time.Time) bool {
	if a == nil {
		return false
	}
	at, ok := a.started[id]
	return ok && !at.Before(since)
}

// VolumeCreatedSince reports whether a volume named name was created at or
// after since.
func (a *Activity) VolumeCreatedSince(name string, since time.Time) bool {
	if a == nil {
		return false
	}
	at, ok := a.volCreated[name]
	return ok && !at.Before(since)
}

// MountedSince are the containers (ids) the volume name was mounted in at
// or after since.
func (a *Activity) MountedSince(name string, since time.Time) []string {
	if a == nil {
		return nil
	}
	var out []string
	for k, at := range a.volMounted {
		if k[0] == name && !at.Before(since) {
			out = append(out, k[1])
		}
	}
	return out
}

// Destroyed reports whether the container id was removed.
func (a *Activity) Destroyed(id string) bool {
	if a == nil {
		return false
	}
	_, ok := a.destroyed[id]
	return ok
}

// Reload is how far the image id went through docker save, docker rmi and
// docker load, in that order, at or after since: 0 nothing, 1 saved, 2
// saved then deleted, 3 saved, deleted, then loaded back.
func (a *Activity) Reload(id string, since time.Time) int {
	if a == nil {
		return 0
	}
	if t := a.own[id]; t.After(since) {
		since = t // layerlab's own save, removal or load is not the learner's
	}
	sv, ok := a.saved[id]
	if !ok || sv.Before(since) {
		return 0
	}
	del, ok := a.deleted[id]
	if !ok || del.Before(sv) {
		return 1
	}
	ld, ok := a.loaded[id]
	if !ok || ld.Before(del) {
		return 2
	}
	return 3
}

// Own notes that layerlab itself saved, removed or loaded image id at (a
// lesson's step, x): a reload exercise counts what the learner does after.
func (a *Activity) Own(id string, at time.Time) {
	if a != nil && id != "" {
		note(a.own, id, at)
	}
}
