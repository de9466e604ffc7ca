package lessons

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestDocumentedKeys: every key the parser accepts (front matter keys, step
// kinds, each kind's keys, the checks of a check step) is named in
// docs/lessons.md, as `key:` (a check as `check: WHAT `), so the page an
// author reads cannot fall behind the parser. What the parser accepts is
// asked of Parse itself, for every key-like string literal in this package's
// source: a key the parser takes is compared with some literal there.
func TestDocumentedKeys(t *testing.T) {
	doc, err := os.ReadFile("../docs/lessons.md")
	if err != nil {
		t.Fatal(err)
	}
	mentions := func(s string) bool { return strings.Contains(string(doc), "`"+s) }

	words := sourceWords(t)
	const nonsense = "no-such-key"
	if slices.Contains(words, nonsense) {
		t.Fatalf("%q is in the source: pick another word the parser must refuse", nonsense)
	}
	probe := append([]string{nonsense}, words...)

	var front, kinds, checks []string
	keys := map[string][]string{} // key: the kinds that take it
	for _, w := range probe {
		if accepted(frontMatter(w), "unknown front matter key") {
			front = append(front, w)
		}
		if accepted(stepBlock(w+": x"), "unknown step kind") {
			kinds = append(kinds, w)
		}
		if accepted(stepBlock("check: "+w+" x"), "check %q: use") || accepted(stepBlock("check: "+w+" x y"), "check %q: use") {
			checks = append(checks, w)
		}
	}
	for _, k := range kinds {
		for _, w := range probe {
			if accepted(stepBlock(k+": x\n"+w+": x"), "unknown step key", "is not allowed") {
				keys[w] = append(keys[w], k)
			}
		}
	}
	// The probes must tell: a nonsense word is refused everywhere, and the
	// keys every lesson uses are taken.
	if slices.Contains(front, nonsense) || slices.Contains(kinds, nonsense) || slices.Contains(checks, nonsense) || keys[nonsense] != nil {
		t.Fatalf("the parser seems to accept %q: the probes no longer see its errors", nonsense)
	}
	if !slices.Contains(front, "id") || !slices.Contains(kinds, "pull") || !slices.Contains(checks, "image") || len(keys["title"]) != len(kinds) {
		t.Fatalf("the probes miss keys the built-in lessons use: front %v, kinds %v, checks %v, title in %v", front, kinds, checks, keys["title"])
	}

	for _, k := range front {
		if !mentions(k + ":") {
			t.Errorf("front matter key %q is not in docs/lessons.md (as `%s:`)", k, k)
		}
	}
	for _, k := range kinds {
		if !mentions(k + ":") {
			t.Errorf("step kind %q is not in docs/lessons.md (as `%s:`)", k, k)
		}
	}
	for k, in := range keys {
		if !mentions(k + ":") {
			t.Errorf("step key %q (of %s) is not in docs/lessons.md (as `%s:`)", k, strings.Join(in, ", "), k)
		}
	}
	for _, c := range checks {
		if !mentions("check: " + c + " ") {
			t.Errorf("check %q is not in docs/lessons.md (as `check: %s …`)", c, c)
		}
	}
}

// accepted reports whether src parses without an error whose format holds
// one of refusals (other problems of the probe do not matter).
func accepted(src string, refusals ...string) bool {
	_, err := Parse("probe.md", []byte(src))
	for _, e := range flatten(err) {
		var le *Error
		if errors.As(e, &le) {
			for _, r := range refusals {
				if strings.Contains(le.Code.Format(), r) {
					return false
				}
			}
		}
	}
	return true
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func frontMatter(key string) string {
	return "---\nid: probe\ntitle: Probe\n" + key + ": x\n---\n"
}

func stepBlock(body string) string {
	return "---\nid: probe\ntitle: Probe\n---\n```step\n" + body + "\n```\n"
}

// sourceWords are the string literals of this package's code that could be
// a key: lowercase letters, digits and '-'.
func sourceWords(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	fset := token.NewFileSet()
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && word.MatchString(s) && !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatal("no string literals found in the package's source")
	}
	return out
}

// TestDocumentedStepsParse: every ```step example of docs/lessons.md is a
// step the parser takes.
func TestDocumentedStepsParse(t *testing.T) {
	doc, err := os.ReadFile("../docs/lessons.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	lines := strings.Split(string(doc), "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```step" {
			continue
		}
		body := []string{}
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		n++
		if _, err := Parse("docs/lessons.md", []byte(stepBlock(strings.Join(body, "\n")))); err != nil {
			t.Errorf("the example step %d (%s): %v", n, strings.Join(body, " | "), err)
		}
	}
	if n < 3 {
		t.Fatalf("%d step examples found in docs/lessons.md", n)
	}
}
