package lessons

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestProgressRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "progress-builtin.json")
	var p Progress
	p.MarkDone("pull", 2)
	p.MarkDone("pull", 0)
	p.MarkDone("pull", 2)
	p.Lesson, p.Step = "commit", 3
	if err := SaveProgress(path, p); err != nil {
		t.Fatal(err)
	}
	got, note := LoadProgress(path)
	if note != "" || !got.IsDone("pull", 0) || !got.IsDone("pull", 2) || got.IsDone("pull", 1) || len(got.Done["pull"]) != 2 {
		t.Fatalf("%+v %q", got, note)
	}
	if got.Lesson != "commit" || got.Step != 3 {
		t.Errorf("place %+v", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if p, note := LoadProgress(filepath.Join(t.TempDir(), "none.json")); note != "" || len(p.Done) != 0 {
		t.Error("a missing file is a fresh start")
	}
}

// TestProgressCrashMidSaveLeavesTheOldFile: a save that dies after writing
// its temporary file (simulated: the temporary file is there, never renamed)
// leaves the previous progress whole.
func TestProgressCrashMidSaveLeavesTheOldFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "progress-builtin.json")
	var p Progress
	p.MarkDone("pull", 0)
	if err := SaveProgress(path, p); err != nil {
		t.Fatal(err)
	}
	// The crash: half a new file in a temporary, the rename never happened.
	if err := os.WriteFile(path+".tmp-123", []byte(`{"done": {"pull": [0, 1`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, note := LoadProgress(path)
	if note != "" || !got.IsDone("pull", 0) {
		t.Fatalf("%+v %q", got, note)
	}
}

func TestCorruptProgressIsMovedAside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "progress-builtin.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, note := LoadProgress(path)
	if len(p.Done) != 0 || !strings.Contains(note, "kept as") {
		t.Fatalf("%+v %q", p, note)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the broken file is still in the way")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || !strings.Contains(entries[0].Name(), ".broken-") {
		t.Errorf("not kept aside: %v", entries)
	}
}

// FuzzParseProgress: whatever is in the progress file (a crash, a hand edit,
// a different program's file), loading never panics and the result is sane,
// and a saved progress loads back the same.
func FuzzParseProgress(f *testing.F) {
	for _, s := range []string{`{"done":{"pull":[0,2]},"lesson":"commit","step":3}`, `{}`, `[]`, `null`,
		`{"done":{"":[1]}}`, `{"done":{"pull":[-1,5,5,99999999999]}}`, `{"step":-4}`, `{"done":null}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProgress(b)
		if err != nil {
			return
		}
		if p.Step < 0 || len(p.Done) > maxProgressLessons {
			t.Fatalf("insane progress %+v", p)
		}
		for id, steps := range p.Done {
			if id == "" {
				t.Fatal("empty lesson id kept")
			}
			for i, s := range steps {
				if s < 0 || s >= maxProgressSteps || (i > 0 && steps[i-1] >= s) {
					t.Fatalf("steps of %q not sorted, unique and in range: %v", id, steps)
				}
			}
		}
		path := filepath.Join(t.TempDir(), "p.json")
		if err := SaveProgress(path, p); err != nil {
			t.Fatal(err)
		}
		back, note := LoadProgress(path)
		if note != "" || !reflect.DeepEqual(normal(back), normal(p)) {
			t.Fatalf("saved %+v, loaded %+v (%s)", p, back, note)
		}
	})
}

// normal makes an empty Done and a nil one the same.
func normal(p Progress) Progress {
	if len(p.Done) == 0 {
		p.Done = nil
	}
	return p
}

func TestHugeProgressFileIsMovedAside(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "progress-builtin.json")
	big := `{"done":{"pull":[` + strings.Repeat("1,", maxProgressFile) + `1]}}`
	if err := os.WriteFile(path, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	p, note := LoadProgress(path)
	if len(p.Done) != 0 || !strings.Contains(note, "too big") {
		t.Fatalf("%+v %q", p, note)
	}
}
