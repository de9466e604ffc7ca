package assets

import (
	"io/fs"
	"strings"
	"testing"
)

// TestTranslatedSeedsDifferOnlyInComments: a seed in another language has
// the English seed's lines, each at its line number, and differs only in
// its comments, so that what a lesson says of "line 3" holds in every
// language and a build of either is the same build.
func TestTranslatedSeedsDifferOnlyInComments(t *testing.T) {
	t.Parallel()
	n := 0
	err := fs.WalkDir(files, "workspace.ko", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		rel := strings.TrimPrefix(p, "workspace.ko/")
		id, path, _ := strings.Cut(rel, "/")
		en, err := fs.ReadFile(files, "workspace/"+rel)
		if err != nil {
			t.Errorf("%s has no English seed", rel)
			return nil
		}
		ko, ok := Translated(id, "ko", path)
		if !ok {
			t.Errorf("%s is not found as %s's %s", p, id, path)
			return nil
		}
		el, kl := strings.Split(string(en), "\n"), strings.Split(string(ko), "\n")
		if len(el) != len(kl) {
			t.Errorf("%s: %d lines, the English seed %d", rel, len(kl), len(el))
			return nil
		}
		differs := false
		for i := range el {
			if el[i] != kl[i] {
				differs = true
				if !strings.HasPrefix(el[i], "#") || !strings.HasPrefix(kl[i], "#") {
					t.Errorf("%s line %d differs and is not a comment: %q / %q", rel, i+1, el[i], kl[i])
				}
			}
		}
		if !differs {
			t.Errorf("%s is the English seed", rel)
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("%d translated seeds: %v", n, err)
	}
	if _, ok := Translated("build", "en", "Dockerfile"); ok {
		t.Error("English has a translation of its own seed")
	}
}
