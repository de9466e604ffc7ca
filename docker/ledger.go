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

// Record is one tag layerlab put on a daemon: by a pull (when the tag named
// nothing before), a commit, a build or a tag step.
type Record struct {
	Host    string    `json:"host"`
	Tag     string    `json:"tag"`      // busybox:latest, as `docker images` shows it
	ImageID string    `json:"image_id"` // what the tag named when layerlab set it
	Lesson  string    `json:"lesson,omitempty"`
	How     string    `json:"how"` // pull, commit, build, tag
	At      time.Time `json:"at"`
}

// Ledger is layerlab's memory of the tags it made. Images it builds or commits
// carry its label, but a pulled image cannot be labelled: the ledger is what
// lets layerlab remove the busybox:latest it pulled, and never the one the
// learner had before. A Ledger with no path lives in memory only.
type Ledger struct {
	path string
	mu   sync.Mutex
	recs []Record
	err  error // the last load or save failure, kept for doctor-style reports
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
	b, err := os.ReadFile(l.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		l.recs, l.err = nil, nil
	case err != nil:
		l.err = err
	default:
		var recs []Record
		if err := json.Unmarshal(b, &recs); err != nil {
			l.err = err
			return
		}
		l.recs, l.err = recs, nil
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
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload()
	l.drop(r.Host, r.Tag)
	l.recs = append(l.recs, r)
	l.save()
}

// Remove forgets tag on host (it was untagged).
func (l *Ledger) Remove(host, tag string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload()
	if l.drop(host, tag) {
		l.save()
	}
}

// Lookup finds the record of tag on host.
func (l *Ledger) Lookup(host, tag string) (Record, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.recs {
		if r.Host == host && r.Tag == tag {
			return r, true
		}
	}
	return Record{}, false
}

// intermediatePrefix marks ledger records that are build steps' images, not tags.
const intermediatePrefix = "@step:"

// AddIntermediate records an image a build step of layerlab's committed: a
// parent of the built image, and cache for the next build.
func (l *Ledger) AddIntermediate(host, id, lesson string) {
	l.Add(Record{Host: host, Tag: intermediatePrefix + ShortID(id), ImageID: ShortID(id), Lesson: lesson, How: "build step", At: time.Now().UTC()})
}

// IsIntermediate reports whether id is a build step's image layerlab made.
func (l *Ledger) IsIntermediate(host, id string) bool {
	_, ok := l.Lookup(host, intermediatePrefix+ShortID(id))
	return ok
}

// RemoveIntermediate forgets a build step's image (it was deleted).
func (l *Ledger) RemoveIntermediate(host, id string) { l.Remove(host, intermediatePrefix+ShortID(id)) }

// Intermediates are the build steps' images recorded for host, oldest first.
func (l *Ledger) Intermediates(host, lesson string) []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Record
	for _, r := range l.recs {
		if r.Host == host && strings.HasPrefix(r.Tag, intermediatePrefix) && (lesson == "" || r.Lesson == lesson) {
			out = append(out, r)
		}
	}
	return out
}

// Records are the tags recorded for host, for one lesson or all (""), by tag.
func (l *Ledger) Records(host, lesson string) []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Record
	for _, r := range l.recs {
		if r.Host == host && (lesson == "" || r.Lesson == lesson) && !strings.HasPrefix(r.Tag, intermediatePrefix) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tag < out[j].Tag })
	return out
}

func (l *Ledger) drop(host, tag string) bool {
	for i, r := range l.recs {
		if r.Host == host && r.Tag == tag {
			l.recs = append(l.recs[:i], l.recs[i+1:]...)
			return true
		}
	}
	return false
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
		tmp := l.path + ".tmp"
		if err = os.WriteFile(tmp, b, 0o600); err == nil {
			err = os.Rename(tmp, l.path)
		}
	}
	l.err = err
}
