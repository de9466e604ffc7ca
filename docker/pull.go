package docker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// Phase is where one layer is in a pull.
type Phase int

const (
	PhaseWaiting Phase = iota
	PhaseDownloading
	PhaseVerifying
	PhaseDownloaded
	PhaseExtracting
	PhaseComplete
	PhaseExists // the layer was already on disk: shared with an image you have
)

// Finished reports whether the layer needs no more work.
func (p Phase) Finished() bool { return p == PhaseComplete || p == PhaseExists }

// LayerProgress is one layer of a pull. ID is the short digest of the
// compressed blob, as the daemon reports it (not the layer's diff id).
type LayerProgress struct {
	ID      string
	Phase   Phase
	Status  string // the daemon's words: "Downloading", "Pull complete"…
	Current int64
	Total   int64
	// Size is the compressed size, remembered once downloading told it.
	Size int64
}

// Fraction is the share of this layer's work that is done, 0..1. Download and
// extraction each count for half.
func (l LayerProgress) Fraction() float64 {
	part := func(cur, tot int64) float64 {
		if tot <= 0 {
			return 0
		}
		f := float64(cur) / float64(tot)
		return min(max(f, 0), 1)
	}
	switch l.Phase {
	case PhaseDownloading:
		return part(l.Current, l.Total) / 2
	case PhaseVerifying, PhaseDownloaded:
		return 0.5
	case PhaseExtracting:
		return 0.5 + part(l.Current, l.Total)/2
	case PhaseComplete, PhaseExists:
		return 1
	}
	return 0
}

// PullProgress is the state of a pull after every message of the daemon's stream.
type PullProgress struct {
	Layers   []LayerProgress
	Status   string // last line without a layer: "Pulling from library/busybox", "Digest: …"
	Digest   string
	UpToDate bool
	Done     bool
	// last is the last layer message (Podman's stream ends on one, not on
	// a Status line: see EndPodman).
	lastID, lastStatus string
}

// Bytes sums what is known of the download: bytes received and expected.
func (p PullProgress) Bytes() (done, total int64) {
	for _, l := range p.Layers {
		switch {
		case l.Phase == PhaseDownloading:
			done += l.Current
			total += l.Total
		case l.Phase > PhaseDownloading && l.Phase != PhaseExists:
			done += l.Size
			total += l.Size
		}
	}
	return done, total
}

// Counts says how many layers are finished, and how many were already on disk.
func (p PullProgress) Counts() (finished, existed, all int) {
	for _, l := range p.Layers {
		if l.Phase.Finished() {
			finished++
		}
		if l.Phase == PhaseExists {
			existed++
		}
	}
	return finished, existed, len(p.Layers)
}

// Clone returns a copy that does not share the layer slice.
func (p PullProgress) Clone() PullProgress {
	p.Layers = append([]LayerProgress(nil), p.Layers...)
	return p
}

// Apply folds one message of the stream into the progress. A message that
// carries an error is returned as a *Error. The error is read from
// errorDetail, which every engine sends with it; the bare "error" string
// beside it is deprecated (jsonmessage's ErrorMessage) and will be omitted.
func (p *PullProgress) Apply(m jsonmessage.JSONMessage) error {
	if m.Error != nil {
		return classifyMessage(errors.New(m.Error.Message), "pull")
	}
	if m.ID == "" || strings.HasPrefix(m.Status, "Pulling from") || strings.HasPrefix(m.Status, "Digest:") || strings.HasPrefix(m.Status, "Status:") {
		p.Status = strings.TrimSpace(m.Status)
		if d, ok := strings.CutPrefix(p.Status, "Digest: "); ok {
			p.Digest = d
		}
		if strings.HasPrefix(p.Status, "Status: Image is up to date") {
			p.UpToDate = true
		}
		if strings.HasPrefix(p.Status, "Status:") {
			p.Done = true
		}
		return nil
	}
	i := -1
	for k := range p.Layers {
		if p.Layers[k].ID == m.ID {
			i = k
			break
		}
	}
	if i < 0 {
		p.Layers = append(p.Layers, LayerProgress{ID: m.ID})
		i = len(p.Layers) - 1
	}
	l := &p.Layers[i]
	l.Status = m.Status
	p.lastID, p.lastStatus = m.ID, m.Status
	switch {
	case strings.HasPrefix(m.Status, "Pulling fs layer"), strings.HasPrefix(m.Status, "Waiting"):
		l.Phase = PhaseWaiting
	case strings.HasPrefix(m.Status, "Downloading"):
		l.Phase = PhaseDownloading
		if m.Progress != nil {
			l.Current, l.Total = m.Progress.Current, m.Progress.Total
			if m.Progress.Total > 0 {
				l.Size = m.Progress.Total
			}
		}
	case strings.HasPrefix(m.Status, "Verifying Checksum"):
		l.Phase = PhaseVerifying
	case strings.HasPrefix(m.Status, "Download complete"):
		l.Phase = PhaseDownloaded
	case strings.HasPrefix(m.Status, "Extracting"):
		l.Phase = PhaseExtracting
		if m.Progress != nil {
			l.Current, l.Total = m.Progress.Current, m.Progress.Total
			if l.Size == 0 && m.Progress.Total > 0 {
				l.Size = m.Progress.Total
			}
		}
	case strings.HasPrefix(m.Status, "Pull complete"):
		l.Phase = PhaseComplete
	case strings.HasPrefix(m.Status, "Already exists"):
		l.Phase = PhaseExists
	}
	return nil
}

// EndPodman finishes the progress of a stream from Podman's Docker API,
// given the id of the image now on disk under the pulled name. Podman
// (4.3) sends no Digest or Status line: its stream ends on "Download
// complete" for the image's id, which is also its config's digest, listed
// among the layers when the config blob arrived. When the last message is
// that one, the pull is done: the config is taken out of the layers, the
// layers that arrived are complete (Podman says nothing of extraction), and
// a pull whose every layer was already on disk is up to date. It reports
// whether the stream ended so (false: it was cut, nothing changes).
func (p *PullProgress) EndPodman(imageID string) bool {
	id := strings.TrimPrefix(imageID, "sha256:")
	if p.Done || p.lastID == "" || !strings.HasPrefix(p.lastStatus, "Download complete") || !strings.HasPrefix(id, p.lastID) {
		return false
	}
	layers := p.Layers[:0:0]
	for _, l := range p.Layers {
		if l.ID == p.lastID {
			continue
		}
		if l.Phase == PhaseDownloaded || l.Phase == PhaseVerifying {
			l.Phase = PhaseComplete
		}
		layers = append(layers, l)
	}
	p.Layers = layers
	_, existed, all := p.Counts()
	p.UpToDate = existed == all
	p.Done = true
	return true
}

// DecodePull reads a pull stream to its end, calling onUpdate after every message.
func DecodePull(r io.Reader, onUpdate func(PullProgress)) (PullProgress, error) {
	var p PullProgress
	dec := json.NewDecoder(r)
	for {
		var m jsonmessage.JSONMessage
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return p, nil
			}
			return p, err
		}
		if err := p.Apply(m); err != nil {
			return p, err
		}
		if onUpdate != nil {
			onUpdate(p)
		}
	}
}

// PullResult is what a finished pull left on the daemon.
type PullResult struct {
	Ref      Ref
	From     string // what was really pulled: the mirror's name when one stood in
	ImageID  string
	Progress PullProgress
	// TagExisted is true when the tag already named an image before this pull:
	// layerlab then does not own it and never removes it.
	TagExisted bool
	// PreviousID is the image the tag named before, when it moved.
	PreviousID string
	// PreviousDangling is set when the pull moved the tag and the image
	// it named before has no tag left: it is dangling (<none>) now.
	PreviousDangling bool
	// Offline is true when the registry could not be reached but the image
	// was already on disk: the lesson goes on with that copy.
	Offline bool
}

// PullOptions say where a pull goes through and who asked for it.
type PullOptions struct {
	// Mirror (HOST:PORT) stands in for Docker Hub when set.
	Mirror string
	// Lesson is recorded in the ledger with the tag, when the pull creates it.
	Lesson string
}

// Pull runs `docker pull ref`, through the mirror for Docker Hub names when one
// is set, and tags the result with the name the learner asked for. A tag that
// named nothing before is recorded in the ledger as layerlab's.
// onUpdate gets every state of the progress; it must not block for long.
func (c *Client) Pull(ctx context.Context, ref Ref, o PullOptions, onUpdate func(PullProgress)) (PullResult, error) {
	res, err := c.pull(ctx, ref, o, onUpdate)
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound && res.TagExisted {
		e.OnDaemon = true
	}
	if errors.As(err, &e) && e.Kind == KindNotFound && e.Absent == AbsentTagOrRepository && ref.Tag() != "" && ref.Tag() != "latest" {
		// The containerd store says only "not found": the registry is asked
		// (through the daemon) for the repository's latest, which is there
		// when only the tag is missing.
		from, _ := ref.Via(o.Mirror)
		if i := strings.LastIndex(from, ":"); i > strings.LastIndex(from, "/") {
			if _, derr := c.api.DistributionInspect(ctx, from[:i]+":latest", ""); derr == nil {
				e.Absent = AbsentTag
			}
		}
	}
	return res, err
}

func (c *Client) pull(ctx context.Context, ref Ref, o PullOptions, onUpdate func(PullProgress)) (PullResult, error) {
	from, viaMirror := ref.Via(o.Mirror)
	op := "pull " + ref.String()
	res := PullResult{Ref: ref, From: from}
	if err := c.roomForImage(ctx, op); err != nil {
		return res, err
	}
	existed, prevID, err := c.Exists(ctx, ref.Full())
	if err != nil {
		return res, err
	}
	res.TagExisted, res.PreviousID = existed, prevID
	// A name of the learner's own (they tagged or built it; layerlab did
	// not set it) is never moved by a lesson's pull. Without a mirror the
	// daemon's pull would move it at once: refused unless the image it
	// names came from that repository (a pull would then only update it,
	// as docker pull does). Through a mirror, the pulled image is compared
	// first, below.
	theirs := existed && !c.learner && !c.setByLayerlab(ref.String(), prevID)
	mirrorExisted := false
	if viaMirror {
		if mirrorExisted, _, err = c.Exists(ctx, from); err != nil {
			return res, err
		}
	}
	offline := func(err error) (PullResult, error) {
		// A classroom without internet, images brought by bundle or
		// prepare: the copy on disk is what the learner asked for.
		if KindOf(err) == KindRegistryUnreachable && existed {
			res.Offline, res.ImageID = true, prevID
			res.Progress.Done, res.Progress.UpToDate = true, true
			return res, nil
		}
		return res, err
	}
	if theirs && !viaMirror && !c.pulledFrom(ctx, prevID, ref) {
		// Without a registry (a classroom offline, its images brought by
		// a bundle) the copy on disk is used and nothing moves; with one,
		// the pull would move the learner's name: refused.
		if _, derr := c.api.DistributionInspect(ctx, ref.Full(), ""); derr != nil {
			if perr := c.pullErr(derr, op); KindOf(perr) == KindRegistryUnreachable {
				return offline(perr)
			}
		}
		return res, movedName(op, ref, prevID)
	}
	body, err := c.api.ImagePull(ctx, from, image.PullOptions{})
	if err != nil {
		return offline(c.pullErr(err, op))
	}
	defer body.Close()
	prog, err := DecodePull(body, onUpdate)
	res.Progress = prog
	if ctx.Err() != nil {
		return res, &Error{Kind: KindCanceled, Op: op, Err: ctx.Err()}
	}
	if err != nil {
		err = c.pullErr(err, op)
		if IsConnection(err) {
			// The stream had started: the daemon went away in the middle.
			return res, interruptedPull(op, prog, err)
		}
		return offline(err)
	}
	if !prog.Done && c.IsPodman() {
		// Podman's stream has no closing status: the image on disk
		// tells whether it ended.
		if ok, id, err := c.Exists(ctx, from); err == nil && ok && prog.EndPodman(id) {
			res.Progress = prog
		}
	}
	if !prog.Done {
		// The stream ended without its closing status: the daemon went away.
		return res, interruptedPull(op, prog, nil)
	}
	if len(prog.Layers) == 0 {
		// Through a mirror whose name layerlab untags after each pull, the
		// daemon says "Downloaded newer image" although no layer moved: every
		// layer was already on disk. That is "up to date" for the learner.
		prog.UpToDate = true
		res.Progress = prog
	}
	if viaMirror && theirs {
		if _, got, err := c.Exists(ctx, from); err == nil && got != prevID {
			if !mirrorExisted {
				_, _ = c.imageRemove(ctx, from, image.RemoveOptions{})
			}
			return res, movedName(op, ref, prevID)
		}
	}
	if viaMirror {
		if err := c.api.ImageTag(ctx, from, ref.Full()); err != nil {
			return res, c.classify(err, "tag "+ref.String())
		}
		if !mirrorExisted {
			// Untag only: the image keeps the learner-facing name.
			if _, err := c.imageRemove(ctx, from, image.RemoveOptions{}); err != nil {
				return res, c.classify(err, "untag "+from)
			}
		}
	}
	_, id, err := c.Exists(ctx, ref.Full())
	if err != nil {
		return res, err
	}
	res.ImageID = id
	if res.TagExisted && sameID(id, res.PreviousID) {
		// Up to date: a pull that changed nothing made nothing. The
		// record of the tag (if layerlab's) stays with the lesson that
		// pulled it first: another lesson's x does not take it.
		return res, nil
	}
	prev := ""
	if res.TagExisted {
		prev = res.PreviousID
		c.keepMovedFrom(ctx, ref.String(), prev, &res)
	}
	c.recordTag(ctx, ref.String(), id, o.Lesson, "pull", prev, "")
	return res, nil
}

// keepMovedFrom looks at the image a pull moved tag away from (the
// registry's tag names a newer image now): with no tag left it is
// dangling (<none>), as `docker images` shows it. If layerlab had pulled
// it (its record of tag named it), it stays layerlab's by id, with the
// lesson that pulled it, so that cleanup lists and removes it.
func (c *Client) keepMovedFrom(ctx context.Context, tag, prevID string, res *PullResult) {
	insp, err := c.imageInspect(ctx, prevID)
	if err != nil {
		return
	}
	res.PreviousDangling = len(insp.RepoTags) == 0
	if rec, ok := c.ledger.Lookup(c.endpoint.Host, tag); ok && sameID(rec.ImageID, prevID) && !c.ledger.HasImage(c.endpoint.Host, prevID) {
		c.ledger.AddImage(c.endpoint.Host, insp.ID, rec.Lesson, "pull")
	}
}

// setByLayerlab reports whether layerlab's ledger has tag as set by it on
// the image id.
func (c *Client) setByLayerlab(tag, id string) bool {
	r, ok := c.ledger.Lookup(c.endpoint.Host, tag)
	return ok && sameID(r.ImageID, id)
}

// pulledFrom reports whether image id came from ref's repository (its
// repo digests name it): a pull of ref would update what the name holds,
// not take a name the learner gave another image.
func (c *Client) pulledFrom(ctx context.Context, id string, ref Ref) bool {
	insp, err := c.imageInspect(ctx, id)
	if err != nil {
		return false
	}
	repo := ref.Full()
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo = repo[:i]
	}
	for _, d := range insp.RepoDigests {
		if r, _, ok := strings.Cut(d, "@"); ok && (r == repo || Familiar(r) == Familiar(repo)) {
			return true
		}
	}
	return false
}

// movedName refuses a pull that would move a name of the learner's own.
func movedName(op string, ref Ref, prevID string) error {
	return &Error{Kind: KindNotOwned, Op: op, Name: ref.String(), NotOwned: NotOwnedName, Others: []string{ShortID(prevID)},
		Detail: ref.String() + " names an image of the learner's; the pull would move it"}
}

// interruptedPull says how far a pull got when the daemon went away. An
// unfinished pull leaves no image. Its layers: when only the connection
// broke, Engine 20.10 cancels the pull and drops them; when the daemon
// stopped, they stay on disk for the next pull (both measured), so the
// learner is promised neither.
func interruptedPull(op string, p PullProgress, err error) error {
	done, _, all := p.Counts()
	return &Error{Kind: KindInterrupted, Op: op, Err: err, LayersDone: done, LayersTotal: all,
		Detail: fmt.Sprintf("the daemon went away after %d of %d layers had arrived; an unfinished pull leaves no image", done, all)}
}

func (c *Client) pullErr(err error, op string) error {
	var e *Error
	if errors.As(err, &e) {
		if e.Op == "pull" {
			e.Op = op
		}
		return e
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Kind: KindCanceled, Op: op, Err: err}
	}
	if isConnFailure(err) {
		return c.classifyConn(err, op)
	}
	ce := classifyMessage(err, op)
	if KindOf(ce) == KindUnknown && (errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "EOF")) {
		return &Error{Kind: KindInterrupted, Op: op, Err: err, Detail: err.Error()}
	}
	return ce
}
