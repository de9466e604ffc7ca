package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
)

// Event is something that happened on the daemon, from layerlab or from
// anything else (the learner's other terminal): an image pulled, tagged or
// deleted, a container created, started, changed or removed.
type Event struct {
	Type   string // image, container
	Action string // pull, tag, untag, delete, create, start, die, destroy, exec_start…
	ID     string
	Name   string // the container's name, or the image's reference, or the volume's name
	// Container is the container a volume was mounted in or unmounted from.
	Container string
	Time      time.Time
}

// Events streams the daemon's image and container events until ctx ends or
// the stream breaks; the error channel then says why (context.Canceled when
// ctx ended).
func (c *Client) Events(ctx context.Context) (<-chan Event, <-chan error) {
	f := filters.NewArgs(filters.Arg("type", string(events.ImageEventType)), filters.Arg("type", string(events.ContainerEventType)),
		filters.Arg("type", string(events.VolumeEventType)))
	msgs, errs := c.api.Events(ctx, events.ListOptions{Filters: f})
	out := make(chan Event, 64)
	outErr := make(chan error, 1)
	go func() {
		gone := map[string]bool{}
		for {
			select {
			case m := <-msgs:
				ev := c.toEvent(m)
				c.forgetIfDeleted(ctx, ev)
				more := append(c.podmanTags(ctx, ev), c.podmanLoads(ctx, ev, gone, true)...)
				for _, e := range append(append([]Event{ev}, more...), c.podmanMounts(ctx, ev)...) {
					select {
					case out <- e:
					case <-ctx.Done():
						outErr <- ctx.Err()
						return
					}
				}
			case err := <-errs:
				outErr <- c.classify(err, "events")
				return
			}
		}
	}()
	return out, outErr
}

// Clock is the daemon's time now (its clock, which may differ from this
// machine's when the daemon is elsewhere).
func (c *Client) Clock(ctx context.Context) (time.Time, error) {
	in, err := c.api.Info(ctx)
	if err != nil {
		return time.Time{}, c.classify(err, "info")
	}
	t, err := time.Parse(time.RFC3339Nano, in.SystemTime)
	if err != nil {
		return time.Now(), nil
	}
	return t, nil
}

// EventsBetween are the image and container events the daemon recorded from
// since until until (its clock); it answers at once, from the daemon's
// memory of recent events. It is how a live stream that went silent is
// caught: what it should have said and did not.
func (c *Client) EventsBetween(ctx context.Context, since, until time.Time) ([]Event, error) {
	f := filters.NewArgs(filters.Arg("type", string(events.ImageEventType)), filters.Arg("type", string(events.ContainerEventType)),
		filters.Arg("type", string(events.VolumeEventType)))
	ts := func(t time.Time) string { return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond()) }
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs, errs := c.api.Events(ctx, events.ListOptions{Filters: f, Since: ts(since), Until: ts(until)})
	var out []Event
	gone := map[string]bool{}
	for {
		select {
		case m := <-msgs:
			ev := c.toEvent(m)
			c.forgetIfDeleted(ctx, ev)
			out = append(out, ev)
			out = append(out, c.podmanTags(ctx, ev)...)
			out = append(out, c.podmanLoads(ctx, ev, gone, false)...)
			out = append(out, c.podmanMounts(ctx, ev)...)
		case err := <-errs:
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, c.classify(err, "events")
		}
	}
}

// forgetIfDeleted drops from the ledger an image the daemon says it deleted
// (by anyone: the learner's own docker rmi too): the same id loaded back
// later is then whoever loaded it's (ForgetDeleted).
func (c *Client) forgetIfDeleted(ctx context.Context, ev Event) {
	if ev.Type != "image" || ev.Action != "delete" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c.ForgetDeleted(ctx, ev.ID)
}

// podmanTags are the image "tag" events Docker sends and Podman does not:
// a commit's (podmanCommitTags) and a build's (podmanBuildTags).
func (c *Client) podmanTags(ctx context.Context, ev Event) []Event {
	if !c.IsPodman() {
		return nil
	}
	return append(c.podmanCommitTags(ctx, ev), c.podmanBuildTags(ctx, ev)...)
}

// podmanBuildTags are the image "tag" events Docker sends for a build's -t,
// which Podman does not: its image "build" event names only the image's id
// (a build all from the cache, the id of an image already there). They
// are that image's names, as the event's time gave them.
func (c *Client) podmanBuildTags(ctx context.Context, ev Event) []Event {
	if ev.Type != "image" || ev.Action != "build" || !LooksLikeID(ev.Name) || !c.IsPodman() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	insp, err := c.imageInspect(ctx, ev.Name)
	if err != nil {
		return nil
	}
	return podmanNamed(insp.ID, insp.RepoTags, ev.Time)
}

// podmanNamed are tag events of an image's names: each as the docker CLI
// shows it, and a localhost/ one also as the learner gave it (podman
// commit c pyubuntu:mine names localhost/pyubuntu:mine).
func podmanNamed(id string, tags []string, at time.Time) []Event {
	var out []Event
	for _, t := range tags {
		if t == "<none>:<none>" {
			continue
		}
		out = append(out, Event{Type: "image", Action: "tag", ID: id, Name: t, Time: at})
		if short, ok := strings.CutPrefix(t, "localhost/"); ok {
			out = append(out, Event{Type: "image", Action: "tag", ID: id, Name: short, Time: at})
		}
	}
	return out
}

// podmanCommitTags are the image "tag" events Docker sends for a commit
// (the name it gave), which Podman does not: its container "commit" event
// names no image. The images Podman made in that second (a commit's, by
// the container's id in their history's parent, is not told) are read,
// and each of their tags is an event, at the commit's time.
func (c *Client) podmanCommitTags(ctx context.Context, ev Event) []Event {
	if ev.Type != "container" || ev.Action != "commit" || !c.IsPodman() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	list, err := c.imageList(ctx, image.ListOptions{})
	if err != nil {
		return nil
	}
	var out []Event
	for _, s := range list {
		if made := time.Unix(s.Created, 0); made.Before(ev.Time.Add(-2*time.Second)) || made.After(ev.Time.Add(time.Second)) {
			continue
		}
		out = append(out, podmanNamed(s.ID, s.RepoTags, ev.Time)...)
	}
	return out
}

// podmanLoads are the image "load" events Docker sends for a docker load
// (whose actor is the image id), which Podman does not: its
// "loadfromarchive" names only the file it read. gone holds the images this
// stream saw deleted; one that is there again at a load is one the load
// brought back, as in lesson 11's save, rmi and load. Podman sends "delete"
// for an untag too: live, an image still there at its delete is not gone;
// a replay of the past (live false) cannot tell, and takes the untag's
// image loaded again as loaded. An image loaded that this stream never saw
// deleted has no "load" event on Podman.
func (c *Client) podmanLoads(ctx context.Context, ev Event, gone map[string]bool, live bool) []Event {
	if !c.IsPodman() || ev.Type != string(events.ImageEventType) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	switch {
	case ev.Action == "delete" && ev.ID != "":
		if !live {
			gone[ev.ID] = true
		} else if _, err := c.imageInspect(ctx, ev.ID); cerrdefs.IsNotFound(err) {
			gone[ev.ID] = true
		}
		return nil
	case ev.Action != "loadfromarchive" || len(gone) == 0:
		return nil
	}
	list, err := c.imageList(ctx, image.ListOptions{All: true})
	if err != nil {
		return nil
	}
	var out []Event
	for _, s := range list {
		if gone[s.ID] {
			delete(gone, s.ID)
			out = append(out, Event{Type: "image", Action: "load", ID: s.ID, Name: s.ID, Time: ev.Time})
		}
	}
	return out
}

// toEvent reads one of the daemon's event messages. A volume's actor is its
// name; a mount's names the container.
func (c *Client) toEvent(m events.Message) Event {
	ev := Event{Type: string(m.Type), Action: string(m.Action), ID: m.Actor.ID, Name: m.Actor.Attributes["name"], Time: time.Unix(0, m.TimeNano)}
	if m.Type == events.VolumeEventType {
		ev.Name, ev.Container = m.Actor.ID, m.Actor.Attributes["container"]
		if ev.Name == "" {
			ev.Name = m.Actor.Attributes["name"] // Podman's: no actor id
		}
	}
	if c.IsPodman() {
		ev = podmanEvent(ev)
	}
	return ev
}

// podmanMounts are the volume "mount" events Docker sends at each start of
// a container with a volume (naming the container), which Podman does not:
// read from the container while it is there. A container already removed
// when its start is read (a replay of the past) gives none.
func (c *Client) podmanMounts(ctx context.Context, ev Event) []Event {
	if !c.IsPodman() || ev.Type != string(events.ContainerEventType) || ev.Action != "start" || ev.ID == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	insp, err := c.api.ContainerInspect(ctx, ev.ID)
	if err != nil {
		return nil
	}
	var out []Event
	for _, m := range insp.Mounts {
		if m.Type == "volume" && m.Name != "" {
			out = append(out, Event{Type: string(events.VolumeEventType), Action: "mount", Name: m.Name, Container: insp.ID, Time: ev.Time})
		}
	}
	return out
}

// podmanEvent gives an image event of Podman's the forms Docker's has: the
// id with its "sha256:" (Podman's is bare, so a delete never matched the
// ledger's id and a learner's save went unseen), the name of a tag, untag,
// delete or pull as the docker CLI shows it. A save's name is the file. A
// volume or a container removed is "destroy", as Docker says (a learner's
// docker rm went unseen).
func podmanEvent(ev Event) Event {
	if (ev.Type == string(events.VolumeEventType) || ev.Type == string(events.ContainerEventType)) && ev.Action == "remove" {
		ev.Action = "destroy" // Docker's word for a volume or a container removed
	}
	if ev.Type != string(events.ImageEventType) {
		return ev
	}
	ev.ID = fullID(ev.ID)
	switch ev.Action {
	case "tag", "untag", "delete", "pull":
		ev.Name = Familiar(ev.Name)
	}
	return ev
}
