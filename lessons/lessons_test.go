package lessons

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltinEnglishLoads(t *testing.T) {
	t.Parallel()
	ls, err := Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 2 {
		t.Fatalf("%d lessons", len(ls))
	}
	if ls[0].ID != "images-containers" || ls[1].ID != "pull" {
		t.Errorf("order: %s, %s", ls[0].ID, ls[1].ID)
	}
	var pulls []string
	for _, s := range ls[1].Steps {
		if s.Kind == KindPull {
			pulls = append(pulls, s.Arg)
		}
	}
	if strings.Join(pulls, ",") != "busybox,python:3.6.0-slim" {
		t.Errorf("pull steps %v", pulls)
	}
	for _, l := range ls {
		for i, s := range l.Steps {
			if s.Index != i {
				t.Errorf("%s step %d has index %d", l.ID, i, s.Index)
			}
		}
	}
}

func TestParseKeepsOrderOfMarkdownAndSteps(t *testing.T) {
	t.Parallel()
	src := "---\nid: x\ntitle: X\n---\nintro\n\n```step\npull: busybox\ntitle: Get it\n```\n\nafter\n\n```sh\n```step\nnot a step\n```\n"
	l, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Parts) != 3 || l.Parts[0].Markdown != "intro" || l.Parts[1].Step == nil || !strings.HasPrefix(l.Parts[2].Markdown, "after") {
		t.Fatalf("parts %+v", l.Parts)
	}
	if len(l.Steps) != 1 || l.Steps[0].Title != "Get it" || l.Steps[0].Line != 7 {
		t.Errorf("steps %+v", l.Steps[0])
	}
}

func TestParseErrorsHaveFileAndLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src, want string
	}{
		{"no front matter", "# hi\n", "bad.md:1:1: a lesson starts with front matter"},
		{"unclosed front matter", "---\nid: a\ntitle: b\n", "bad.md:3:1: front matter is not closed"},
		{"unknown key", "---\nid: a\ntitle: b\ncolour: red\n---\n", `bad.md:4:1: unknown front matter key "colour"`},
		{"bad id", "---\nid: A B\ntitle: b\n---\n", `bad.md:2:5: id "A B"`},
		{"missing title", "---\nid: a\n---\n", "bad.md:1:1: front matter has no 'title'"},
		{"unknown kind", "---\nid: a\ntitle: b\n---\ntext\n```step\ndelete: everything\n```\n", `bad.md:7:1: unknown step kind "delete"`},
		{"missing arg", "---\nid: a\ntitle: b\n---\n```step\npull:\n```\n", `bad.md:6:6: step "pull" needs a value`},
		{"unknown step key", "---\nid: a\ntitle: b\n---\n```step\npull: busybox\nretries: 3\n```\n", `bad.md:7:1: unknown step key "retries" for pull`},
		{"privileged container", "---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: x\nprivileged: true\n```\n", `bad.md:8:1: step key "privileged" is not allowed: a lesson cannot run a privileged container`},
		{"bind mount", "---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: x\nmount: /etc:/host-etc\n```\n", `bad.md:8:1: step key "mount" is not allowed: a lesson cannot mount folders of the host`},
		{"host network", "---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: x\nnetwork: host\n```\n", `bad.md:8:1: step key "network" is not allowed`},
		{"build outside its folder", "---\nid: a\ntitle: b\n---\n```step\nbuild: ../../etc\n```\n", `bad.md:5:1: build step: "../../etc" must be a path inside the lesson's workspace`},
		{"unclosed step", "---\nid: a\ntitle: b\n---\n```step\npull: busybox\n", "bad.md:5:1: step block is not closed"},
		{"run without name", "---\nid: a\ntitle: b\n---\n```step\nrun: busybox\n```\n", "bad.md:5:1: run step needs 'name: …'"},
		{"not key value", "---\nid: a\ntitle: b\n---\n```step\npull busybox\n```\n", "bad.md:6:1: step lines are 'key: value'"},
	}
	for _, tc := range tests {
		_, err := Parse("bad.md", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
			continue
		}
		var le *Error
		if !errors.As(err, &le) {
			t.Errorf("%s: not a *Error", tc.name)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("---\nid: a\ntitle: b\n---\n```step\npull: busybox\n```\n"))
	f.Add([]byte("---\n---\n```step\n```\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Parse("f.md", b)
		if err == nil {
			for i, s := range l.Steps {
				if s.Index != i || s.Kind == "" {
					t.Fatalf("bad step %+v", s)
				}
			}
		}
	})
}

// TestEveryLessonInBothLanguages: the same lessons, in the same order, with
// the same steps (kinds, images, names, commands), in English and Korean.
func TestEveryLessonInBothLanguages(t *testing.T) {
	t.Parallel()
	en, err := Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	ko, err := Builtin("ko")
	if err != nil {
		t.Fatal(err)
	}
	if len(en) != len(ko) {
		t.Fatalf("%d English lessons, %d Korean", len(en), len(ko))
	}
	for i := range en {
		e, k := en[i], ko[i]
		if e.ID != k.ID || e.Image != k.Image {
			t.Errorf("lesson %d: %s/%s vs %s/%s", i+1, e.ID, e.Image, k.ID, k.Image)
			continue
		}
		if len(e.Steps) != len(k.Steps) {
			t.Errorf("%s: %d steps in English, %d in Korean", e.ID, len(e.Steps), len(k.Steps))
			continue
		}
		for j := range e.Steps {
			es, ks := *e.Steps[j], *k.Steps[j]
			es.Title, ks.Title, es.Line, ks.Line, es.Hints, ks.Hints = "", "", 0, 0, "", ""
			if es != ks {
				t.Errorf("%s step %d differs:\n en %+v\n ko %+v", e.ID, j+1, es, ks)
			}
			if k.Steps[j].Title == "" {
				t.Errorf("%s step %d has no Korean title", e.ID, j+1)
			}
		}
	}
}
