package docker

import (
	"errors"
	"regexp"
	"strings"
	"unicode"

	"github.com/distribution/reference"
)

// Ref is an image reference a learner typed, checked against the same rules the
// engine applies (distribution's reference grammar), before any call is made.
type Ref struct {
	Input string
	named reference.Named
	// DefaultTag is true when the learner gave no tag and ":latest" was assumed.
	DefaultTag bool
}

// ParseRef validates s. The error is a *Error of KindBadReference whose Rule
// says, in a sentence, which rule s breaks.
func ParseRef(s string) (Ref, error) {
	bad := func(rule string, err error) (Ref, error) {
		e := &Error{Kind: KindBadReference, Op: "check " + quote(s), Rule: rule, Err: err}
		if err != nil {
			e.Detail = err.Error()
		} else {
			e.Detail = rule
		}
		return Ref{}, e
	}
	switch {
	case strings.TrimSpace(s) == "":
		return bad("an image reference cannot be empty: type a name such as busybox or python:3.6.0-slim", nil)
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return bad("an image reference has no spaces: NAME[:TAG], e.g. python:3.6.0-slim", nil)
	case strings.HasPrefix(s, ":"):
		return bad("a tag needs a name before it: NAME:TAG, e.g. busybox"+s, nil)
	case strings.HasPrefix(s, "@"):
		return bad("a digest needs a name before it: NAME@sha256:…", nil)
	}
	if name, tag, ok := splitTag(s); ok && name != "" && !tagPattern.MatchString(tag) {
		return bad("a tag is at most 128 letters, digits, '_', '.' or '-', and cannot start with '.' or '-'", nil)
	}
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		switch {
		case errors.Is(err, reference.ErrNameContainsUppercase):
			return bad("repository names must be lowercase (tags may use capitals): try "+lowerName(s), err)
		case errors.Is(err, reference.ErrTagInvalidFormat):
			return bad("a tag is at most 128 letters, digits, '_', '.' or '-', and cannot start with '.' or '-'", err)
		case errors.Is(err, reference.ErrDigestInvalidFormat):
			return bad("a digest looks like sha256: followed by 64 hex digits", err)
		case errors.Is(err, reference.ErrNameTooLong):
			return bad("a repository name is at most 255 characters", err)
		case errors.Is(err, reference.ErrNameEmpty):
			return bad("an image reference cannot be empty", err)
		}
		return bad("a name is lowercase letters, digits and separators (. _ -) in path parts split by /, optionally :TAG", err)
	}
	r := Ref{Input: s}
	if reference.IsNameOnly(named) {
		r.DefaultTag = true
		named = reference.TagNameOnly(named)
	}
	r.named = named
	return r, nil
}

var tagPattern = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)

// splitTag cuts NAME:TAG at the tag's colon (not a registry port's), ignoring any digest.
func splitTag(s string) (name, tag string, ok bool) {
	s, _, _ = strings.Cut(s, "@")
	i := strings.LastIndex(s, ":")
	if i < 0 || i < strings.LastIndex(s, "/") {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// lowerName suggests the reference with its name part lowercased and the tag kept.
func lowerName(s string) string {
	name, tag, ok := splitTag(s)
	if ok {
		tag = ":" + tag
	}
	return strings.ToLower(name) + tag
}

func quote(s string) string { return "\"" + s + "\"" }

// String is the reference as the docker CLI shows it: busybox:latest.
func (r Ref) String() string {
	if r.named == nil {
		return r.Input
	}
	return reference.FamiliarString(r.named)
}

// Full is the fully qualified reference: docker.io/library/busybox:latest.
func (r Ref) Full() string {
	if r.named == nil {
		return r.Input
	}
	return r.named.String()
}

// Name is the repository without tag: busybox, or 127.0.0.1:5000/foo.
func (r Ref) Name() string {
	if r.named == nil {
		return r.Input
	}
	return reference.FamiliarName(r.named)
}

// Tag is the tag, "latest" when none was given; "" for digest references.
func (r Ref) Tag() string {
	if t, ok := r.named.(reference.Tagged); ok {
		return t.Tag()
	}
	return ""
}

// Domain is the registry host: docker.io for Docker Hub names.
func (r Ref) Domain() string {
	if r.named == nil {
		return ""
	}
	return reference.Domain(r.named)
}

// Via returns the reference to pull instead when a registry mirror stands in
// for Docker Hub (a classroom without internet): busybox:latest becomes
// MIRROR/library/busybox:latest. Names of other registries are left alone.
func (r Ref) Via(mirror string) (string, bool) {
	if mirror == "" || r.Domain() != "docker.io" {
		return r.Full(), false
	}
	path := reference.Path(r.named)
	s := strings.TrimSuffix(mirror, "/") + "/" + path
	if t := r.Tag(); t != "" {
		s += ":" + t
	}
	if d, ok := r.named.(reference.Digested); ok {
		s += "@" + d.Digest().String()
	}
	return s, true
}
