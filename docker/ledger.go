package docker

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// RecordKind is what a ledger record is of.
type RecordKind string

const (
	// RecordTag is a tag layerlab set: by a pull (when the tag named nothing
	// before), a commit, a build or a tag step. Files written before kinds
	// existed hold only tags, with no kind.
	RecordTag RecordKind = ""
	// RecordImage is an image layerlab made: a commit's result, a build's
	// result or one of its steps' images.
	RecordImage RecordKind = "image"
	// RecordContainer is a container layerlab created.
	RecordContainer RecordKind = "container"
)

// Record is one thing layerlab made on a daemon, known by identity.
type Record struct {
	Host    string     `json:"host"`
	Kind    RecordKind `json:"kind,omitempty"`
	Tag     string     `json:"tag,omitempty"`      // busybox:latest, as `docker images` shows it
	ImageID string     `json:"image_id,omitempty"` // the image made, or what the tag named when layerlab set it
	// ContainerID and Name are a container's.
	ContainerID string `json:"container_id,omitempty"`
	Name        string `json:"name,omitempty"`
	// Op marks a record written before the daemon answered (its id is not
	// known yet): the object carries LabelOp with this value, which with the
	// name or tag recorded here identifies it if the answer never came.
	Op     string    `json:"op,omitempty"`
	Lesson string    `json:"lesson,omitempty"`
	How    string    `json:"how"` // pull, commit, build, build step, tag, run
	At     time.Time `json:"at"`
}

// Ledger is layerlab's memory of what it made, by identity: the ids of the
// containers it created and of the images its commits and builds produced,
// and the tags it set. Labels on objects are copied by Docker to whatever is
// made from them (a learner's container run from a lesson image, a commit of
// it, a build FROM it), so a label alone never makes anything layerlab's: only
// the ledger does. A Ledger with no path lives in memory only.
type Ledger struct {
	path string
	mu   sync.Mutex
	recs []Record
	err  error // the last load or save failure, kept for doctor-style reports
	// seen is the file as last read: another process's write changes it.
	seen os.FileInfo
}

// OpenLedger reads the ledger at path ("" for one in memory). A missing file is
// an empty ledger; an unreadable one is reported by Err and treated as empty,
// which can only make layerlab remove less.
func OpenLedger(path string) *Ledger {
	l := &Ledger{path: path}
	l.reload()
	return l
}

// reload reads the file again, so that two layerlab processes (a session and
// a cleanup) do not drop each other's records.
func (l *Ledger) reload() {
	if l.path == "" {
		return
	}
	fi, err := os.Stat(l.path)
	if err == nil && l.seen != nil && l.err == nil && os.SameFile(fi, l.seen) && fi.Size() == l.seen.Size() && fi.ModTime().Equal(l.seen.ModTime()) {
		return // unchanged since it was read
	}
	b, err := os.ReadFile(l.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		l.recs, l.err, l.seen = nil, nil, nil
	case err != nil:
		l.err = err
	default:
		var recs []Record
		if err := json.Unmarshal(b, &recs); err != nil {
			l.err = err
			return
		}
		for i, r := range recs {
			if r.Kind == RecordTag && strings.HasPrefix(r.Tag, legacyStepPrefix) {
				// Written before kinds existed: a build step's image.
				recs[i].Kind, recs[i].Tag = RecordImage, ""
			}
		}
		l.recs, l.err, l.seen = recs, nil, fi
	}
}

// Path is the file behind the ledger ("" in memory).
func (l *Ledger) Path() string { return l.path }

// Err is the last failure to read or write the ledger file.
func (l *Ledger) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Add records that layerlab set tag on host to imageID, replacing an older record of the tag.
func (l *Ledger) Add(r Record) {
	r.Kind = RecordTag
	l.put(r, func(o Record) bool { return o.Kind == RecordTag && o.Host == r.Host && o.Tag == r.Tag })
}

// Remove forgets tag on host (it was untagged).
func (l *Ledger) Remove(host, tag string) {
	l.forget(func(o Record) bool { return o.Kind == RecordTag && o.Host == host && o.Tag == tag })
}

// Lookup finds the record of tag on host.
func (l *Ledger) Lookup(host, tag string) (Record, bool) {
	return l.find(func(o Record) bool { return o.Kind == RecordTag && o.Host == host && o.Tag == tag })
}

// legacyStepPrefix marked build steps' images among the tags in files written
// before records had kinds.
const legacyStepPrefix = "@step:"

// AddImage records an image layerlab made on host (how: commit, build, build step).
func (l *Ledger) AddImage(host, id, lesson, how string) {
	if id == "" {
		return
	}
	r := Record{Host: host, Kind: RecordImage, ImageID: id, Lesson: lesson, How: how, At: time.Now().UTC()}
	l.put(r, func(o Record) bool { return o.Kind == RecordImage && o.Host == host && sameID(o.ImageID, id) })
}

// HasImage reports whether layerlab made the image id on host.
func (l *Ledger) HasImage(host, id string) bool {
	_, ok := l.Image(host, id)
	return ok
}

// Image is the record of an image layerlab made.
func (l *Ledger) Image(host, id string) (Record, bool) {
	if id == "" {
		return Record{}, false
	}
	return l.find(func(o Record) bool { return o.Kind == RecordImage && o.Host == host && sameID(o.ImageID, id) })
}

// RemoveImage forgets an image (it was deleted).
func (l *Ledger) RemoveImage(host, id string) {
	l.forget(func(o Record) bool { return o.Kind == RecordImage && o.Host == host && sameID(o.ImageID, id) })
}

// Images are the images recorded for host, for one lesson or all (""), oldest first.
func (l *Ledger) Images(host, lesson string) []Record {
	return l.all(func(o Record) bool {
		return o.Kind == RecordImage && o.Host == host && (lesson == "" || o.Lesson == lesson)
	})
}

// AddContainer records a container layerlab created (or, with no id yet and
// an op, is creating: see Record.Op), replacing a pending record of the same op.
func (l *Ledger) AddContainer(host string, r Record) {
	r.Host, r.Kind = host, RecordContainer
	if r.At.IsZero() {
		r.At = time.Now().UTC()
	}
	l.put(r, func(o Record) bool {
		return o.Kind == RecordContainer && o.Host == host &&
			(r.Op != "" && o.Op == r.Op || r.ContainerID != "" && o.ContainerID == r.ContainerID)
	})
}

// Container is the record of a container layerlab created, by its full id.
func (l *Ledger) Container(host, id string) (Record, bool) {
	if id == "" {
		return Record{}, false
	}
	return l.find(func(o Record) bool { return o.Kind == RecordContainer && o.Host == host && o.ContainerID == id })
}

// RemoveContainer forgets a container (it was removed), by id or pending op.
func (l *Ledger) RemoveContainer(host, id, op string) {
	l.forget(func(o Record) bool {
		return o.Kind == RecordContainer && o.Host == host && (id != "" && o.ContainerID == id || op != "" && o.Op == op)
	})
}

// Containers are the containers recorded for host, for one lesson or all (""), oldest first.
func (l *Ledger) Containers(host, lesson string) []Record {
	return l.all(func(o Record) bool {
		return o.Kind == RecordContainer && o.Host == host && (lesson == "" || o.Lesson == lesson)
	})
}

// Records are the tags recorded for host, for one lesson or all (""), by tag.
func (l *Ledger) Records(host, lesson string) []Record {
	out := l.all(func(o Record) bool {
		return o.Kind == RecordTag && o.Host == host && (lesson == "" || o.Lesson == lesson)
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Tag < out[j].Tag })
	return out
}

// sameID compares image ids that may be short (12 digits, as older files and
// the build stream have them) or full.
func sameID(a, b string) bool { return ShortID(a) == ShortID(b) }

// put replaces the records that match with r (or adds it), and saves.
func (l *Ledger) put(r Record, same func(Record) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload()
	l.drop(same)
	l.recs = append(l.recs, r)
	l.save()
}

// forget drops the records that match, and saves if there were any.
func (l *Ledger) forget(match func(Record) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload()
	if l.drop(match) {
		l.save()
	}
}

func (l *Ledger) find(match func(Record) bool) (Record, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload()
	for _, r := range l.recs {
		if match(r) {
			return r, true
		}
	}
	return Record{}, false
}

func (l *Ledger) all(match func(Record) bool) []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload()
	var out []Record
	for _, r := range l.recs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

func (l *Ledger) drop(match func(Record) bool) bool {
	kept := l.recs[:0]
	for _, r := range l.recs {
		if !match(r) {
			kept = append(kept, r)
		}
	}
	dropped := len(kept) != len(l.recs)
	l.recs = kept
	return dropped
}

// save writes the ledger atomically (a temporary file renamed over it).
func (l *Ledger) save() {
	if l.path == "" {
		return
	}
	l.err = nil
	b, err := json.MarshalIndent(l.recs, "", "  ")
	if err == nil {
		err = os.MkdirAll(filepath.Dir(l.path), 0o700)
	}
	if err == nil {
		err = writeAtomic(l.path, b)
		if err == nil {
			l.seen, _ = os.Stat(l.path)
		}
	}
	l.err = err
}

// writeAtomic writes b to path through a temporary file of its own in the same
// folder, renamed over path: a crash leaves the old file or the new one, and
// two processes never write into one temporary file.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
