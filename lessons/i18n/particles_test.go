package i18n

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

// A particle after a Hangul word is written on it ("이미지를"); after a
// Latin word, a number, code, a ")" or a string's %s it is written apart
// ("`x` 를", "ID 를", "%s {은}"), as lessons 1 to 7 write them.
var (
	particleApartFromHangul = regexp.MustCompile(`[\x{AC00}-\x{D7A3}] (을|를|은|는|으로|와|과)([ \n.,:;!?)]|$)`)
	particleOnLatin         = regexp.MustCompile("([A-Za-z0-9`)\\]]|%s|%d|%q)(\\{은\\}|\\{이\\}|\\{을\\}|\\{로\\}|\\{과\\}|은|는|이|가|을|를|으로|로|와|과)([ \n.,:;!?)\"]|$)")
	fence                   = regexp.MustCompile("(?s)```.*?```")
)

// TestKoreanParticlesAreSpacedAlike: every Korean lesson's text, and the
// words of the new lessons' steps (volumes, save and load), space their
// particles as lessons 1 to 7 do (found by a newcomer: the new lessons wrote
// "(…)을" where the others write "(…) 을").
func TestKoreanParticlesAreSpacedAlike(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("..", "content", "ko", "*.md"))
	if len(files) < 11 {
		t.Fatalf("lessons: %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := fence.ReplaceAllString(string(b), "")
		for _, re := range []*regexp.Regexp{particleApartFromHangul, particleOnLatin} {
			for _, m := range re.FindAllString(text, -1) {
				t.Errorf("%s: %q", filepath.Base(f), m)
			}
		}
	}
	ko := For("ko")
	for _, s := range []any{ko.Vol, ko.Arch} {
		v := reflect.ValueOf(s)
		for i := range v.NumField() {
			if v.Field(i).Kind() != reflect.String {
				continue
			}
			if m := particleOnLatin.FindString(v.Field(i).String()); m != "" {
				t.Errorf("%s.%s: %q", v.Type().Name(), v.Type().Field(i).Name, m)
			}
		}
	}
	for _, s := range []string{ko.RemovedByFmt, ko.KeptYoursFmt, ko.KeptInUseFmt} {
		if m := particleOnLatin.FindString(s); m != "" {
			t.Errorf("%q: %q", s, m)
		}
	}
}
