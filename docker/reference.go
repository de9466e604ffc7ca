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

// RefRule is the naming rule a bad image reference breaks; a front end
// words it (with Error.Suggest, a name that would do, where there is one).
type RefRule int

const (
	RuleOther RefRule = iota
	// RuleEmpty: nothing was typed.
	RuleEmpty
	// RuleSpaces: a reference has no spaces.
	RuleSpaces
	// RuleTagWithoutName: ":TAG" alone (Suggest: busybox:TAG).
	RuleTagWithoutName
	// RuleDigestWithoutName: "@sha256:…" alone.
	RuleDigestWithoutName
	// RuleTagFormat: a tag is at most 128 of [A-Za-z0-9_.-], not starting with . or -.
	RuleTagFormat
	// RuleLowercase: a repository name has capitals (Suggest: it in lowercase).
	RuleLowercase
	// RuleDigestFormat: a digest is sha256: and 64 hex digits.
	RuleDigestFormat
	// RuleNameTooLong: a repository name is at most 255 characters.
	RuleNameTooLong
)

// String is the rule in English, for logs and Error(); a learner reads the
// front end's words.
func (r RefRule) String() string {
	switch r {
	case RuleEmpty:
		return "empty reference"
	case RuleSpaces:
		return "spaces in a reference"
	case RuleTagWithoutName:
		return "a tag without a name"
	case RuleDigestWithoutName:
		return "a digest without a name"
	case RuleTagFormat:
		return "invalid tag"
	case RuleLowercase:
		return "repository name must be lowercase"
	case RuleDigestFormat:
		return "invalid digest"
	case RuleNameTooLong:
		return "repository name too long"
	}
	return "invalid reference format"
}

// ParseRef validates s. The error is a *Error of KindBadReference whose Rule
// says which rule s breaks (and Suggest, for some, a name that would do).
func ParseRef(s string) (Ref, error) {
	bad := func(rule RefRule, suggest string, err error) (Ref, error) {
		e := &Error{Kind: KindBadReference, Op: "check " + quote(s), Rule: rule, Suggest: suggest, Err: err}
		if err != nil {
			e.Detail = err.Error()
		} else {
			e.Detail = rule.String()
		}
		return Ref{}, e
	}
	switch {
	case strings.TrimSpace(s) == "":
		return bad(RuleEmpty, "", nil)
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return bad(RuleSpaces, "", nil)
	case strings.HasPrefix(s, ":"):
		return bad(RuleTagWithoutName, "busybox"+s, nil)
	case strings.HasPrefix(s, "@"):
		return bad(RuleDigestWithoutName, "", nil)
	}
	if name, tag, ok := splitTag(s); ok && name != "" && !tagPattern.MatchString(tag) {
		return bad(RuleTagFormat, "", nil)
	}
	if name, _, _ := splitTag(s); name != strings.ToLower(name) {
		// distribution says so in a sentence of its own, not its sentinel.
		return bad(RuleLowercase, lowerName(s), nil)
	}
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		switch {
		case errors.Is(err, reference.ErrNameContainsUppercase):
			return bad(RuleLowercase, lowerName(s), err)
		case errors.Is(err, reference.ErrTagInvalidFormat):
			return bad(RuleTagFormat, "", err)
		case errors.Is(err, reference.ErrDigestInvalidFormat):
			return bad(RuleDigestFormat, "", err)
		case errors.Is(err, reference.ErrNameTooLong):
			return bad(RuleNameTooLong, "", err)
		case errors.Is(err, reference.ErrNameEmpty):
			return bad(RuleEmpty, "", err)
		}
		return bad(RuleOther, "", err)
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

// Path is the repository's path in its registry, as docker pull's
// "Pulling from" line names it: library/busybox.
func (r Ref) Path() string {
	if r.named == nil {
		return r.Input
	}
	return reference.Path(r.named)
}

// Digest is the digest of a digest reference (busybox@sha256:…), else "".
func (r Ref) Digest() string {
	if d, ok := r.named.(reference.Digested); ok {
		return d.Digest().String()
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
