package docker

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/patternmatcher"
)

// MissingWhy is why a COPY or ADD source is not in what a build sends.
type MissingWhy int

const (
	// SourceNotSent: not in what was sent (found from the builder's
	// words, for a source the check before the build could not judge).
	SourceNotSent MissingWhy = iota
	// SourceAbsent: no such file or folder in the context.
	SourceAbsent
	// SourceIgnored: it is in the context folder, and .dockerignore leaves
	// it out (Rule).
	SourceIgnored
	// SourceOutside: the source climbs out of the context ("../x"): files
	// outside it are never sent; Docker looks for Path inside it instead.
	SourceOutside
)

// MissingSource is a source a COPY or ADD names that the build will not
// find in its context, found before anything is sent.
type MissingSource struct {
	// Line is the instruction's line in the Dockerfile; Source the source
	// as written; Path what Docker looks for, from the context's root
	// ("/secret.txt").
	Line   int
	Source string
	Path   string
	Why    MissingWhy
	// Rule is the .dockerignore line that leaves it out (SourceIgnored).
	Rule string
}

// contextFiles is what a walk of the context found: what it sends and what
// .dockerignore left out (paths relative to the context, "/"-separated).
type contextFiles struct {
	sent, ignored []string
	patterns      []string
}

// missingSources are the COPY and ADD sources of the Dockerfile that are not
// in what is sent: left out by .dockerignore, outside the context, or
// absent. Sources with variables, URLs, and copies from a stage or an
// image (--from) are not judged.
func missingSources(src string, cf contextFiles) []MissingSource {
	var out []MissingSource
	for _, n := range instructions(src) {
		kw := strings.ToLower(n.Value)
		if kw != "copy" && kw != "add" || len(n.Heredocs) > 0 {
			continue
		}
		if slices.ContainsFunc(n.Flags, func(f string) bool { return strings.HasPrefix(f, "--from") }) {
			continue
		}
		args := nodeArgs(n)
		if len(args) < 2 {
			continue
		}
		for _, s := range args[:len(args)-1] {
			if strings.Contains(s, "$") || strings.Contains(s, "://") || strings.HasPrefix(s, "git@") {
				continue
			}
			p := path.Clean("/" + s)
			if cf.has(cf.sent, p) {
				continue
			}
			m := MissingSource{Line: n.StartLine, Source: s, Path: p, Why: SourceAbsent}
			switch {
			case cf.has(cf.ignored, p):
				m.Why, m.Rule = SourceIgnored, cf.rule(p)
			case climbsOut(s):
				m.Why = SourceOutside
			}
			out = append(out, m)
		}
	}
	return out
}

// nodeArgs are an instruction's arguments, JSON form or not.
func nodeArgs(n *parser.Node) []string {
	var args []string
	for a := n.Next; a != nil; a = a.Next {
		args = append(args, a.Value)
	}
	return args
}

// climbsOut reports whether a relative source leaves the context ("../x").
func climbsOut(s string) bool {
	if strings.HasPrefix(s, "/") {
		return false
	}
	return strings.HasPrefix(path.Clean(s), "..")
}

// has reports whether p ("/"-rooted, maybe a wildcard) is one of paths or
// a folder holding one.
func (cf contextFiles) has(paths []string, p string) bool {
	rel := strings.TrimPrefix(p, "/")
	if rel == "" {
		return len(paths) > 0
	}
	for _, f := range paths {
		if f == rel || strings.HasPrefix(f, rel+"/") {
			return true
		}
		if ok, _ := path.Match(rel, f); ok {
			return true
		}
		// A wildcard naming a folder: what is under it.
		for dir := path.Dir(f); dir != "."; dir = path.Dir(dir) {
			if ok, _ := path.Match(rel, dir); ok {
				return true
			}
		}
	}
	return false
}

// rule is the .dockerignore rule that leaves p out: the last that matches
// it or a folder above it (a later "!" rule would have let it in).
func (cf contextFiles) rule(p string) string {
	rel := strings.TrimPrefix(p, "/")
	var files []string
	for _, f := range cf.ignored {
		if ok, _ := path.Match(rel, f); ok || f == rel || strings.HasPrefix(f, rel+"/") {
			files = append(files, f)
		}
	}
	rule := ""
	for _, pat := range cf.patterns {
		if strings.HasPrefix(pat, "!") {
			continue
		}
		pm, err := patternmatcher.New([]string{pat})
		if err != nil {
			continue
		}
		for _, f := range files {
			if ok, _ := pm.MatchesOrParentMatches(f); ok {
				rule = pat
				break
			}
		}
	}
	return rule
}

// notFoundRe finds the path in BuildKit's, the classic builder's and Podman's words
// for a COPY source not in the context.
var notFoundRe = regexp.MustCompile(`"(/[^"]*)":? not found|file not found in build context or excluded by \.dockerignore: stat ([^:]+): file does not exist|forbidden path outside the build context: (\S+)|copier: stat: "(/[^"]*)": no such file or directory`)

// missingOf is the missing source a failed build's error names (nil when
// the error is not about one).
func missingOf(detail string, bc BuildContext) *MissingSource {
	m := notFoundRe.FindStringSubmatch(detail)
	if m == nil {
		return nil
	}
	p := m[1]
	switch {
	case m[2] != "":
		p = path.Clean("/" + m[2])
	case m[3] != "":
		p = path.Clean("/" + m[3])
	case m[4] != "": // Podman's builder
		p = path.Clean(m[4])
	}
	for _, ms := range bc.Missing {
		if ms.Path == p {
			return &ms
		}
	}
	return &MissingSource{Path: p, Source: strings.TrimPrefix(p, "/"), Why: SourceNotSent}
}
