package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Progress is what a learner has done, kept between sessions: the steps done
// in each lesson and where they were.
type Progress struct {
	// Done are the indexes of the steps done, by lesson id.
	Done map[string][]int `json:"done"`
	// Lesson and Step are where the learner was.
	Lesson string `json:"lesson,omitempty"`
	Step   int    `json:"step,omitempty"`
}

// IsDone reports whether step i of lesson was done.
func (p Progress) IsDone(lesson string, i int) bool {
	for _, d := range p.Done[lesson] {
		if d == i {
			return true
		}
	}
	return false
}

// MarkDone records step i of lesson as done.
func (p *Progress) MarkDone(lesson string, i int) {
	if p.IsDone(lesson, i) {
		return
	}
	if p.Done == nil {
		p.Done = map[string][]int{}
	}
	p.Done[lesson] = append(p.Done[lesson], i)
	sort.Ints(p.Done[lesson])
}

// LoadProgress reads the progress at path. A missing file is a fresh start.
// A file that cannot be read as progress is moved aside (path.broken-TIME)
// and the learner starts fresh: the note says so; nothing crashes.
func LoadProgress(path string) (p Progress, note string) {
	if path == "" {
		return Progress{}, ""
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Progress{}, ""
	}
	if err == nil {
		if err = json.Unmarshal(b, &p); err == nil {
			return p, ""
		}
	}
	aside := fmt.Sprintf("%s.broken-%s", path, time.Now().UTC().Format("20060102T150405"))
	if rerr := os.Rename(path, aside); rerr != nil {
		return Progress{}, fmt.Sprintf("progress file %s is unreadable (%v); starting fresh", path, err)
	}
	return Progress{}, fmt.Sprintf("progress file %s was unreadable (%v): kept as %s; starting fresh", path, err, aside)
}

// SaveProgress writes p atomically: a temporary file in the same folder,
// synced, then renamed over the old one, so a crash never leaves half a file.
func SaveProgress(path string, p Progress) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
