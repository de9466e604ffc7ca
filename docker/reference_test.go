package docker

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRefRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		ok      bool
		full    string
		fam     string
		defTag  bool
		rule    RefRule
		suggest string
	}{
		{in: "busybox", ok: true, full: "docker.io/library/busybox:latest", fam: "busybox:latest", defTag: true},
		{in: "python:3.6.0-slim", ok: true, full: "docker.io/library/python:3.6.0-slim", fam: "python:3.6.0-slim"},
		{in: "pyubuntu:init", ok: true, full: "docker.io/library/pyubuntu:init", fam: "pyubuntu:init"},
		{in: "127.0.0.1:5000/foo/bar:1", ok: true, full: "127.0.0.1:5000/foo/bar:1", fam: "127.0.0.1:5000/foo/bar:1"},
		{in: "python:Latest", ok: true, full: "docker.io/library/python:Latest", fam: "python:Latest"},
		{in: "Python:Latest", rule: RuleLowercase, suggest: "python:Latest"},
		{in: "a b", rule: RuleSpaces},
		{in: ":tag", rule: RuleTagWithoutName, suggest: "busybox:tag"},
		{in: "", rule: RuleEmpty},
		{in: "busybox:-bad", rule: RuleTagFormat},
		{in: "busybox:" + strings.Repeat("x", 129), rule: RuleTagFormat},
		{in: "bad!name", rule: RuleOther},
		{in: "@sha256:00", rule: RuleDigestWithoutName},
	}
	for _, tc := range tests {
		r, err := ParseRef(tc.in)
		if tc.ok {
			if err != nil {
				t.Errorf("%q: unexpected error %v", tc.in, err)
				continue
			}
			if r.Full() != tc.full || r.String() != tc.fam || r.DefaultTag != tc.defTag {
				t.Errorf("%q: got full %q fam %q default %v", tc.in, r.Full(), r.String(), r.DefaultTag)
			}
			continue
		}
		if !errors.Is(err, ErrBadReference) {
			t.Errorf("%q: got %v, want a bad reference", tc.in, err)
			continue
		}
		var e *Error
		errors.As(err, &e)
		if e.Rule != tc.rule || e.Suggest != tc.suggest {
			t.Errorf("%q: rule %v suggest %q, want %v %q", tc.in, e.Rule, e.Suggest, tc.rule, tc.suggest)
		}
	}
}

func TestRefViaMirror(t *testing.T) {
	t.Parallel()
	r, _ := ParseRef("python:3.6.0-slim")
	got, ok := r.Via("127.0.0.1:5000")
	if !ok || got != "127.0.0.1:5000/library/python:3.6.0-slim" {
		t.Errorf("got %q %v", got, ok)
	}
	r, _ = ParseRef("ghcr.io/x/y:1")
	if got, ok := r.Via("127.0.0.1:5000"); ok || got != "ghcr.io/x/y:1" {
		t.Errorf("other registries must not go through the mirror: %q", got)
	}
	r, _ = ParseRef("busybox")
	if got, ok := r.Via(""); ok || got != "docker.io/library/busybox:latest" {
		t.Errorf("no mirror: %q", got)
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"busybox", "python:3.6.0-slim", "Python:Latest", "a b", ":tag", "x@sha256:" + strings.Repeat("a", 64), "localhost:5000/a/b:c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			if !errors.Is(err, ErrBadReference) {
				t.Fatalf("%q: error of the wrong kind: %v", s, err)
			}
			return
		}
		// A valid reference round-trips through its own full form.
		r2, err := ParseRef(r.Full())
		if err != nil || r2.Full() != r.Full() {
			t.Fatalf("%q: %q does not round-trip: %v", s, r.Full(), err)
		}
	})
}
