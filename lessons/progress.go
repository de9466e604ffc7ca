package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// and the learner starts fresh: the note says so, in English (ReadProgress
// gives the trouble to word); nothing crashes.
func LoadProgress(path string) (p Progress, note string) {
	p, trouble := ReadProgress(path)
	if trouble == nil {
		return p, ""
	}
	if trouble.Aside == "" {
		return p, fmt.Sprintf("progress file %s is unreadable (%v); starting fresh", path, trouble.Err)
	}
	return p, fmt.Sprintf("progress file %s was unreadable (%v): kept as %s; starting fresh", path, trouble.Err, trouble.Aside)
}

// ProgressTrouble is a progress file that could not be read as progress:
// why (Err), and where it was moved (Aside; "" when it could not be).
type ProgressTrouble struct {
	Path, Aside string
	Err         error
}

// ReadProgress is LoadProgress with what went wrong as a value, for the
// front end to word (nil: read, or no file).
func ReadProgress(path string) (Progress, *ProgressTrouble) {
	if path == "" {
		return Progress{}, nil
	}
	b, err := readCapped(path, maxProgressFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Progress{}, nil
	}
	if err == nil {
		p, perr := ParseProgress(b)
		if perr == nil {
			return p, nil
		}
		err = perr
	}
	aside := fmt.Sprintf("%s.broken-%s", path, time.Now().UTC().Format("20060102T150405"))
	if rerr := os.Rename(path, aside); rerr != nil {
		return Progress{}, &ProgressTrouble{Path: path, Err: err}
	}
	return Progress{}, &ProgressTrouble{Path: path, Aside: aside, Err: err}
}

// maxProgressFile bounds what is read: a real progress file is a few hundred
// bytes; anything near this is not one.
const maxProgressFile = 1 << 20

// Bounds of a sane progress: more lessons or steps than this is not progress.
const (
	maxProgressLessons = 1000
	maxProgressSteps   = 1000
)

var errProgressTooBig = errors.New("too big to be a progress file")

// readCapped reads at most limit bytes of path; a longer file is an error.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errProgressTooBig
	}
	return b, nil
}

// ParseProgress reads a progress file's bytes. Whatever they say, the result
// is sane: step indexes are sorted, unique and not negative, lesson ids are
// not empty, and the sizes are bounded; a file that is not progress at all
// is an error.
func ParseProgress(b []byte) (Progress, error) {
	var raw Progress
	if err := json.Unmarshal(b, &raw); err != nil {
		return Progress{}, err
	}
	if len(raw.Done) > maxProgressLessons {
		return Progress{}, errProgressTooBig
	}
	p := Progress{Lesson: raw.Lesson, Step: max(raw.Step, 0)}
	for id, steps := range raw.Done {
		if id == "" {
			continue
		}
		if len(steps) > maxProgressSteps {
			return Progress{}, errProgressTooBig
		}
		for _, i := range steps {
			if i >= 0 && i < maxProgressSteps {
				p.MarkDone(id, i)
			}
		}
	}
	return p, nil
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
