package docker

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/volume"
)

// Limits bound what one client may keep on its engine, counted where it is
// made: every call that makes a container (Run, RunOnce) refuses when the
// engine already has Containers of them (all, running or not), every call
// that makes an image or a name for one (Pull, Commit, Build, Tag) when it
// already has Images rows of `docker images`. 0 is no bound. A classroom
// bounds each learner's engine so that no one fills the machine the class
// shares; the refusal is a *Error of KindLimit (Have, Most, Of).
type Limits struct {
	Containers, Images int
	// Volumes bounds the engine's named volumes (docker volume create, a
	// run's -v of a new name). Their data is on the engine's data root,
	// so the classroom's disk bound holds it too.
	Volumes int
	// NoBindMounts refuses every bind mount (-v of a folder of the host):
	// KindHostMount.
	NoBindMounts bool
	// SavedBytes bounds the bytes of every file under SavedRoot after a
	// `docker save -o FILE` (SaveFile): the files are on the machine's disk,
	// not the engine's, so no engine bound holds them. Over it, the save is
	// refused (KindLimit, LimitSaved: Size what is there, Limit the bound)
	// and writes nothing.
	SavedRoot  string
	SavedBytes int64
}

// LimitOf is what a KindLimit refusal counted.
type LimitOf int

const (
	// LimitContainers: the engine's containers.
	LimitContainers LimitOf = iota + 1
	// LimitImages: the engine's images (rows of docker images).
	LimitImages
	// LimitVolumes: the engine's volumes.
	LimitVolumes
	// LimitSaved: the bytes of the files saved under Limits.SavedRoot.
	LimitSaved
)

// limitsBox holds a client's limits; AsLearner shares it, so a bound set
// once holds for every client of the same engine handle.
type limitsBox struct {
	p atomic.Pointer[Limits]
	// saves is held by a save bounded by SavedBytes, so that two at once
	// do not both take the room that is left.
	saves sync.Mutex
}

// SetLimits bounds what this client (and every AsLearner client of it, made
// before or after) may keep on its engine. Safe while calls run.
func (c *Client) SetLimits(l Limits) { c.limits.p.Store(&l) }

// Limits are the client's bounds (zero: none).
func (c *Client) Limits() Limits {
	if c.limits == nil {
		return Limits{}
	}
	if l := c.limits.p.Load(); l != nil {
		return *l
	}
	return Limits{}
}

// roomForContainer refuses (KindLimit) a call that would make one
// container more than the client's bound.
func (c *Client) roomForContainer(ctx context.Context, op string) error {
	if err := c.recordable(op); err != nil {
		return err
	}
	most := c.Limits().Containers
	if most <= 0 {
		return nil
	}
	list, err := c.api.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		return c.classify(err, op)
	}
	if len(list) >= most {
		return &Error{Kind: KindLimit, Op: op, Of: LimitContainers, Have: len(list), Most: most}
	}
	return nil
}

// roomForImage refuses (KindLimit) a call that would make one image (or
// name) more than the client's bound.
func (c *Client) roomForImage(ctx context.Context, op string) error {
	if err := c.recordable(op); err != nil {
		return err
	}
	most := c.Limits().Images
	if most <= 0 {
		return nil
	}
	imgs, err := c.Images(ctx)
	if err != nil {
		return err
	}
	if len(imgs) >= most {
		return &Error{Kind: KindLimit, Op: op, Of: LimitImages, Have: len(imgs), Most: most}
	}
	return nil
}

// recordable refuses (KindUnrecorded) to make anything layerlab could not
// record: a container or image it made and could not write down would be
// nobody's (no cleanup lists it), and a quit would leave it running. The
// learner's own commands record nothing, and are never refused for it.
func (c *Client) recordable(op string) error {
	if c.learner || c.ledger == nil || c.ledger.Path() == "" {
		return nil
	}
	if err := c.ledger.Writable(); err != nil {
		return &Error{Kind: KindUnrecorded, Op: op, Name: c.ledger.Path(), Err: err, Detail: err.Error()}
	}
	return nil
}

// roomForVolume refuses (KindLimit) a call that would make one volume more
// than the client's bound.
func (c *Client) roomForVolume(ctx context.Context, op string) error {
	if err := c.recordable(op); err != nil {
		return err
	}
	most := c.Limits().Volumes
	if most <= 0 {
		return nil
	}
	resp, err := c.api.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		return c.classify(err, op)
	}
	if len(resp.Volumes) >= most {
		return &Error{Kind: KindLimit, Op: op, Of: LimitVolumes, Have: len(resp.Volumes), Most: most}
	}
	return nil
}

// roomToSave is how many bytes a save into the file at path may write
// (at most MaxArchiveBytes): the client's SavedBytes less what the files
// under SavedRoot hold, but the one at path, which the save replaces. No
// room left is a KindLimit refusal. A bounded save holds the client's save
// lock (unlock, called when the file is in place or not written).
func (c *Client) roomToSave(op, path string) (room int64, unlock func(), err error) {
	l := c.Limits()
	if l.SavedBytes <= 0 || l.SavedRoot == "" || c.limits == nil {
		return MaxArchiveBytes, func() {}, nil
	}
	c.limits.saves.Lock()
	var used int64
	_ = filepath.WalkDir(l.SavedRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || p == path {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			used += fi.Size()
		}
		return nil
	})
	if used >= l.SavedBytes {
		c.limits.saves.Unlock()
		return 0, nil, &Error{Kind: KindLimit, Op: op, Of: LimitSaved, Size: used, Limit: l.SavedBytes}
	}
	return min(l.SavedBytes-used, MaxArchiveBytes), c.limits.saves.Unlock, nil
}
