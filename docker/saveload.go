package docker

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
)

// ArchiveProblem is why a save, a listing or a load of an archive file in a
// lesson's workspace was refused (KindArchive).
type ArchiveProblem int

const (
	// ArchiveTooBig: the image saved is over MaxArchiveBytes (Size, Limit).
	ArchiveTooBig ArchiveProblem = iota + 1
	// ArchiveMissing: the file is not there (Name): save it first.
	ArchiveMissing
	// ArchiveNotSave: the file is not a `docker save` archive (Detail says why).
	ArchiveNotSave
	// ArchiveChanged: the file holds other images than the lesson saved in
	// it (Others: what it holds): layerlab loads only its own save back.
	ArchiveChanged
	// ArchiveNotSaved: the lesson did not save the file in this session:
	// layerlab loads only what it saved (run the save step again).
	ArchiveNotSaved
)

// MaxArchiveBytes bounds a save written into a lesson's workspace: the
// lessons' images are a few megabytes, and a save of a large image must not
// fill the learner's disk.
const MaxArchiveBytes = 512 << 20

// SaveResult is what `docker save -o FILE IMAGE…` wrote.
type SaveResult struct {
	Refs []string
	// IDs are the images' ids, one per ref.
	IDs []string
	// File is the archive's path relative to the workspace Dir; Bytes its size.
	Dir, File string
	Bytes     int64
}

// LoadResult is what `docker load -i FILE` did.
type LoadResult struct {
	File string
	// Loaded are the daemon's "Loaded image: …" lines' names, as the CLI prints them.
	Loaded []string
	// IDs are the images loaded, as the daemon names them now.
	IDs []string
}

// workspaceFile is file (relative, slash-separated) inside root, refused
// when it is not (KindOutside): a link on the way is followed only inside.
func workspaceFile(root, file, op string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(file))
	p := filepath.Join(root, clean)
	if file == "" || filepath.IsAbs(file) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", &Error{Kind: KindOutside, Op: op, Detail: file}
	}
	// The file and every folder on its way: a link is followed only while
	// it stays inside.
	for q := p; len(q) > len(filepath.Clean(root)); q = filepath.Dir(q) {
		if err := confined(root, q); err != nil {
			return "", &Error{Kind: KindOutside, Op: op, Detail: err.Error()}
		}
	}
	if fi, err := os.Lstat(p); err == nil && !fi.Mode().IsRegular() {
		return "", &Error{Kind: KindOutside, Op: op, Detail: file + " is not a plain file"}
	}
	return p, nil
}

// SaveFile runs `docker save -o FILE ref…` into the lesson's workspace root:
// the file is written beside, then put in place whole (a save that fails
// leaves no half file), and a save over MaxArchiveBytes is refused and
// removed. Saving changes nothing on the daemon.
func (c *Client) SaveFile(ctx context.Context, refs []string, root, file string) (SaveResult, error) {
	op := "save " + strings.Join(refs, " ")
	res := SaveResult{Refs: refs, Dir: root, File: file}
	p, err := workspaceFile(root, file, op)
	if err != nil {
		return res, err
	}
	for _, ref := range refs {
		insp, err := c.imageInspect(ctx, ref)
		if err != nil {
			return res, c.classify(err, op)
		}
		res.IDs = append(res.IDs, insp.ID)
	}
	room, unlock, err := c.roomToSave(op, p)
	if err != nil {
		return res, err
	}
	defer unlock()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return res, &Error{Kind: KindUnknown, Op: op, Err: err}
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".save-*")
	if err != nil {
		return res, &Error{Kind: KindUnknown, Op: op, Err: err}
	}
	defer os.Remove(tmp.Name())
	rc, err := c.api.ImageSave(ctx, refs)
	if err != nil {
		tmp.Close()
		return res, c.classify(err, op)
	}
	n, err := io.Copy(tmp, io.LimitReader(rc, room+1))
	rc.Close()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return res, c.classify(err, op)
	case n > room && room < MaxArchiveBytes:
		l := c.Limits()
		return res, &Error{Kind: KindLimit, Op: op, Of: LimitSaved, Size: l.SavedBytes - room, Limit: l.SavedBytes}
	case n > MaxArchiveBytes:
		return res, &Error{Kind: KindArchive, Op: op, Archive: ArchiveTooBig, Size: n, Limit: MaxArchiveBytes}
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return res, &Error{Kind: KindUnknown, Op: op, Err: err}
	}
	res.Bytes = n
	return res, nil
}

// ArchiveFile reads an archive in the lesson's workspace (ReadArchive):
// nothing is sent to the daemon.
func ArchiveFile(root, file string) (Archive, error) {
	op := "list " + file
	p, err := workspaceFile(root, file, op)
	if err != nil {
		return Archive{}, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return Archive{}, &Error{Kind: KindArchive, Op: op, Archive: ArchiveMissing, Name: file}
	}
	if err != nil {
		return Archive{}, &Error{Kind: KindUnknown, Op: op, Err: err}
	}
	defer f.Close()
	a, err := ReadArchive(io.LimitReader(f, MaxArchiveBytes+1))
	if err != nil {
		return a, &Error{Kind: KindArchive, Op: op, Archive: ArchiveNotSave, Name: file, Detail: err.Error()}
	}
	return a, nil
}

// ArchiveIDs are the ids the images of an archive have on a daemon: the
// config's digest (Docker 20.10, the classic store), or where the daemon
// names images by their manifest (the containerd image store) the
// manifest's. have is what the daemon said the ids were when it saved them.
func ArchiveIDs(a Archive, have []string) []string {
	var out []string
	for _, im := range a.Images {
		switch {
		case im.ManifestDigest != "" && slices.Contains(have, im.ManifestDigest):
			out = append(out, im.ManifestDigest)
		default:
			out = append(out, im.ConfigDigest)
		}
	}
	return out
}

// LoadFile runs `docker load -i FILE` from the lesson's workspace, of a file
// the lesson saved: want are the ids it saved in it (none: refused,
// ArchiveNotSaved; others there: ArchiveChanged). The images loaded back are
// layerlab's again, recorded as a load, with the names they had; a name
// that names an image of the learner's is never moved (KindNotOwned).
func (c *Client) LoadFile(ctx context.Context, root, file string, want []string, lesson string) (LoadResult, error) {
	op := "load " + file
	res := LoadResult{File: file}
	if len(want) == 0 {
		return res, &Error{Kind: KindArchive, Op: op, Archive: ArchiveNotSaved, Name: file}
	}
	a, err := ArchiveFile(root, file)
	if err != nil {
		return res, err
	}
	ids := ArchiveIDs(a, want)
	for _, id := range ids {
		if !slices.Contains(want, id) {
			return res, &Error{Kind: KindArchive, Op: op, Archive: ArchiveChanged, Name: file, Others: shortIDs(ids)}
		}
	}
	if err := c.roomForImage(ctx, op); err != nil {
		return res, err
	}
	var tags []Ref
	for _, im := range a.Images {
		for _, t := range im.Tags {
			r, err := ParseRef(t)
			if err != nil {
				return res, err
			}
			if err := c.ClaimName(ctx, r); err != nil {
				return res, err
			}
			tags = append(tags, r)
		}
	}
	p, _ := workspaceFile(root, file, op)
	f, err := os.Open(p)
	if err != nil {
		return res, &Error{Kind: KindUnknown, Op: op, Err: err}
	}
	defer f.Close()
	loaded, err := c.Load(ctx, f)
	res.Loaded = loaded
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		insp, err := c.imageInspect(ctx, id)
		if err != nil {
			return res, c.classify(err, op)
		}
		res.IDs = append(res.IDs, insp.ID)
		c.ledger.AddImage(c.endpoint.Host, insp.ID, lesson, "load")
	}
	for _, r := range tags {
		if insp, err := c.imageInspect(ctx, r.Full()); err == nil {
			c.ledger.Add(Record{Host: c.endpoint.Host, Tag: r.String(), ImageID: insp.ID, Lesson: lesson, How: "load", At: time.Now().UTC()})
		}
	}
	return res, nil
}

// LoadArchive runs `docker load -i FILE` of a file in root as the learner's
// own command (the `:` line, a classroom's second session): nothing is
// recorded, what it loads is theirs. It returns the "Loaded image: …" names.
func (c *Client) LoadArchive(ctx context.Context, root, file string) ([]string, error) {
	op := "load " + file
	p, err := workspaceFile(root, file, op)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &Error{Kind: KindArchive, Op: op, Archive: ArchiveMissing, Name: file}
	}
	if err != nil {
		return nil, &Error{Kind: KindUnknown, Op: op, Err: err}
	}
	defer f.Close()
	return c.Load(ctx, io.LimitReader(f, MaxArchiveBytes+1))
}

func shortIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = ShortID(id)
	}
	return out
}

// ForgetDeleted forgets what the ledger has of an image the daemon deleted
// (its "delete" event): the image id and the tags recorded on it. An image
// loaded back later with the same id is then whoever loaded it's: the
// learner's `docker load` of a file they saved makes their image, not
// layerlab's. An image still there is kept.
func (c *Client) ForgetDeleted(ctx context.Context, id string) {
	if id == "" || !c.ledger.HasImage(c.endpoint.Host, id) {
		return
	}
	if _, err := c.imageInspect(ctx, id); err == nil || !cerrdefs.IsNotFound(err) {
		return
	}
	c.ledger.ForgetImage(c.endpoint.Host, id)
}
