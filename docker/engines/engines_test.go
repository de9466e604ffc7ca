package engines

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidName(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{"alice": true, "bob2": true, "kim-min": true, "a": true,
		"": false, "Alice": false, "2bob": false, "root;rm": false, "../x": false, "averyveryverylongname1": false, "ali ce": false} {
		if ValidName(name) != ok {
			t.Errorf("ValidName(%q) = %v", name, !ok)
		}
	}
	if UnixUser("alice") != "ll-alice" {
		t.Error(UnixUser("alice"))
	}
}

// A new learner's subordinate ids start after every range in the file (and
// never below subIDBase), so no two users share one.
func TestSubIDs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := filepath.Join(dir, "subuid")
	if has, next, err := subIDs(f, "ll-a"); err != nil || has || next != subIDBase {
		t.Errorf("no file: %v %d %v", has, next, err)
	}
	os.WriteFile(f, []byte("debian:100000:65536\nll-a:1048576:65536\n# x\nll-b:2000000:65536\n"), 0o600) //nolint:errcheck
	if has, next, err := subIDs(f, "ll-a"); err != nil || !has || next != 2000000+65536 {
		t.Errorf("ll-a: %v %d %v", has, next, err)
	}
	if has, _, _ := subIDs(f, "ll-c"); has {
		t.Error("ll-c has no range")
	}
}

// The learners' users reach their folders only through searchable ones;
// a folder above that is not is named.
func TestSearchable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} { // the test's own folders
		if err := os.Chmod(d, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	closed := filepath.Join(dir, "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	err := searchable(filepath.Join(closed, "engines"))
	if err == nil || !strings.Contains(err.Error(), closed) {
		t.Errorf("a 0700 folder above: %v", err)
	}
	open := filepath.Join(dir, "open", "engines")
	if err := searchable(open); err != nil {
		t.Errorf("an open path: %v", err)
	} else if fi, err := os.Stat(open); err != nil || fi.Mode().Perm() != 0o711 {
		t.Errorf("made as %v, %v", fi.Mode(), err)
	}
}
