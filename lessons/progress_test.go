package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProgressRoundTrip(t *testing.T) {
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
