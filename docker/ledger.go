package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
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
	// RecordVolume is a named volume layerlab created: its Name and its Op
	// label (a random id of the create) are its identity.
	RecordVolume RecordKind = "volume"
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
	// CreatedAt is a volume's creation time as the daemon gave it ("" while
	// its create has not answered).
	CreatedAt string `json:"created_at,omitempty"`
	// Op marks a record written before the daemon answered (its id is not
	// known yet): the object carries LabelOp with this value, which with the
	// name or tag recorded here identifies it if the answer never came.
	Op string `json:"op,omitempty"`
	// Window is the client (a window, a plain run) that created a
	// container: another window's is never replaced ("" in older files).
	Window string    `json:"window,omitempty"`
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
	// setAside is where a file that could not be read was moved (a new
	// empty ledger took its place); "" if none was.
	setAside string
}

// OpenLedger reads the ledger at path ("" for one in memory). A missing file is
// an empty ledger; an unreadable one is reported by Err and treated as empty,
// which can only make layerlab remove less.
func OpenLedger(path string) *Ledger {
	l := &Ledger{path: path}
	l.reload(false)
	return l
}

// reload reads the file again, so that two layerlab processes (a session and
// a cleanup) do not drop each other's records; force reads it even when it
// looks unchanged (a writer holding the lock always does). A file that is
// not a readable ledger (cut short, garbage, a folder, a symlink) is set
// aside, never written over: the records in it are not lost, and SetAside
// says where they went.
func (l *Ledger) reload(force bool) {
	if l.path == "" {
		return
	}
	fi, err := os.Lstat(l.path)
	if !force && err == nil && l.seen != nil && l.err == nil && os.SameFile(fi, l.seen) && fi.Size() == l.seen.Size() && fi.ModTime().Equal(l.seen.ModTime()) {
		return // unchanged since it was read
	}
	if errors.Is(err, os.ErrNotExist) {
		l.recs, l.err, l.seen = nil, nil, nil
		return
	}
	if err != nil {
		l.err = err
		return
	}
	if !fi.Mode().IsRegular() {
		l.setAsideDamaged(fmt.Errorf("%s is not a regular file (%s)", l.path, fi.Mode().Type()))
		return
	}
	b, err := os.ReadFile(l.path)
	if err != nil {
		l.err = err
		return
	}
	var recs []Record
	if err := json.Unmarshal(b, &recs); err != nil {
		l.setAsideDamaged(fmt.Errorf("%s: %w", l.path, err))
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

// setAsideDamaged moves the damaged file away (PATH.damaged-TIME) and
// starts an empty ledger; if it cannot be moved, the ledger refuses to
// write (Err says why) rather than write over it.
func (l *Ledger) setAsideDamaged(why error) {
	to := fmt.Sprintf("%s.damaged-%s", l.path, time.Now().UTC().Format("20060102T150405.000000000"))
	if err := os.Rename(l.path, to); err != nil {
		l.err = fmt.Errorf("%w; it could not be set aside: %v", why, err)
		return
	}
	l.setAside = to
	l.recs, l.err, l.seen = nil, nil, nil
}

// SetAside is where a damaged ledger file was moved ("" if none was).
func (l *Ledger) SetAside() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.setAside
}

// Path is the file behind the ledger ("" in memory).
func (l *Ledger) Path() string { return l.path }

// Err is the last failure to read or write the ledger file.
func (l *Ledger) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Add records that layerlab set tag on host to imageID, replacing an older
// record of the tag. A record of the tag on the same image stays as it is:
// it belongs to the lesson that made it, not to one that set it again.
func (l *Ledger) Add(r Record) error {
	r.Kind = RecordTag
	same := func(o Record) bool { return o.Kind == RecordTag && o.Host == r.Host && o.Tag == r.Tag }
	return l.change(func() bool {
		for _, o := range l.recs {
			if same(o) && r.ImageID != "" && sameID(o.ImageID, r.ImageID) && o.Op == "" {
				return false
			}
		}
		l.drop(same)
		l.recs = append(l.recs, r)
		return true
	})
}

// Remove forgets tag on host (it was untagged).
func (l *Ledger) Remove(host, tag string) error {
	return l.forget(func(o Record) bool { return o.Kind == RecordTag && o.Host == host && o.Tag == tag })
}

// Lookup finds the record of tag on host.
func (l *Ledger) Lookup(host, tag string) (Record, bool) {
	return l.find(func(o Record) bool { return o.Kind == RecordTag && o.Host == host && o.Tag == tag })
}

// legacyStepPrefix marked build steps' images among the tags in files written
// before records had kinds.
const legacyStepPrefix = "@step:"

// AddImage records an image layerlab made on host (how: commit, build, build step).
func (l *Ledger) AddImage(host, id, lesson, how string) error {
	if id == "" {
		return nil
	}
	r := Record{Host: host, Kind: RecordImage, ImageID: id, Lesson: lesson, How: how, At: time.Now().UTC()}
	return l.put(r, func(o Record) bool { return o.Kind == RecordImage && o.Host == host && sameID(o.ImageID, id) })
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
func (l *Ledger) RemoveImage(host, id string) error {
	return l.forget(func(o Record) bool { return o.Kind == RecordImage && o.Host == host && sameID(o.ImageID, id) })
}

// ForgetImage forgets an image the daemon deleted, and the tags recorded
// as naming it.
func (l *Ledger) ForgetImage(host, id string) error {
	return l.forget(func(o Record) bool {
		return o.Host == host && (o.Kind == RecordImage || o.Kind == RecordTag) && o.ImageID != "" && sameID(o.ImageID, id)
	})
}

// Images are the images recorded for host, for one lesson or all (""), oldest first.
func (l *Ledger) Images(host, lesson string) []Record {
	return l.all(func(o Record) bool {
		return o.Kind == RecordImage && o.Host == host && (lesson == "" || o.Lesson == lesson)
	})
}

// AddContainer records a container layerlab created (or, with no id yet and
// an op, is creating: see Record.Op), replacing a pending record of the same op.
func (l *Ledger) AddContainer(host string, r Record) error {
	r.Host, r.Kind = host, RecordContainer
	if r.At.IsZero() {
		r.At = time.Now().UTC()
	}
	return l.put(r, func(o Record) bool {
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
func (l *Ledger) RemoveContainer(host, id, op string) error {
	return l.forget(func(o Record) bool {
		return o.Kind == RecordContainer && o.Host == host && (id != "" && o.ContainerID == id || op != "" && o.Op == op)
	})
}

// Containers are the containers recorded for host, for one lesson or all (""), oldest first.
func (l *Ledger) Containers(host, lesson string) []Record {
	return l.all(func(o Record) bool {
		return o.Kind == RecordContainer && o.Host == host && (lesson == "" || o.Lesson == lesson)
	})
}

// AddVolume records a volume layerlab created (or, with no CreatedAt yet,
// is creating), replacing the record of the same name and op.
func (l *Ledger) AddVolume(host string, r Record) error {
	r.Host, r.Kind = host, RecordVolume
	if r.At.IsZero() {
		r.At = time.Now().UTC()
	}
	return l.put(r, func(o Record) bool {
		return o.Kind == RecordVolume && o.Host == host && o.Name == r.Name && o.Op == r.Op
	})
}

// RemoveVolume forgets a volume (it was removed): the record of name with
// op, or every record of name when op is "".
func (l *Ledger) RemoveVolume(host, name, op string) error {
	return l.forget(func(o Record) bool {
		return o.Kind == RecordVolume && o.Host == host && o.Name == name && (op == "" || o.Op == op)
	})
}

// Volumes are the volumes recorded for host, for one lesson or all (""), oldest first.
func (l *Ledger) Volumes(host, lesson string) []Record {
	return l.all(func(o Record) bool {
		return o.Kind == RecordVolume && o.Host == host && (lesson == "" || o.Lesson == lesson)
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
func (l *Ledger) put(r Record, same func(Record) bool) error {
	return l.change(func() bool {
		l.drop(same)
		l.recs = append(l.recs, r)
		return true
	})
}

// forget drops the records that match, and saves if there were any.
func (l *Ledger) forget(match func(Record) bool) error {
	return l.change(func() bool { return l.drop(match) })
}

// change reads the file, lets edit change the records (it says whether it
// did) and writes them, all under the file's lock, so that any number of
// windows and sessions on one state folder never drop each other's records.
func (l *Ledger) change(edit func() bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	l.reload(true)
	if l.err != nil {
		return l.err
	}
	if edit() {
		l.save()
	}
	return l.err
}

// Writable checks that the ledger can be written now (its folder takes a
// file of a few kilobytes: not read-only, not full), writing nothing that
// stays.
func (l *Ledger) Writable() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	f, err := os.CreateTemp(filepath.Dir(l.path), filepath.Base(l.path)+".*.check")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, 8<<10))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// lock takes the ledger file's lock (PATH.lock, flock): held while one
// process reads, changes and writes the file.
func (l *Ledger) lock() (func(), error) {
	if l.path == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		l.err = err
		return nil, err
	}
	f, err := os.OpenFile(l.path+".lock", os.O_CREATE|os.O_RDWR|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		l.err = err
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		l.err = err
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func (l *Ledger) find(match func(Record) bool) (Record, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload(false)
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
	l.reload(false)
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
