package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/lessons"
)

// Every problem the lessons package can report about a pack (each of its
// codes, the reasons a step key is refused among them) has its Korean
// words, with the same verbs as its English; and every code Parse and
// LoadPack use is one of lessons.Codes (read from the package's source: a
// code not listed there would go unworded).
func TestEveryLessonErrorHasKorean(t *testing.T) {
	t.Parallel()
	codes := lessons.Codes()
	if len(codes) < 30 {
		t.Fatalf("only %d codes", len(codes))
	}
	listed := map[lessons.Code]bool{}
	for _, c := range codes {
		listed[c] = true
		ko := lessonErrorsKo[c]
		if ko == "" {
			t.Errorf("no Korean for %s (%q)", c, c.Format())
		}
		if strings.Count(ko, "%") != strings.Count(c.Format(), "%") {
			t.Errorf("the Korean of %s has other verbs: %q, %q", c, ko, c.Format())
		}
	}
	files, _ := filepath.Glob("../../lessons/*.go")
	used := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "errors.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && strings.HasPrefix(id.Name, "Code") && len(id.Name) > 4 {
				used++
				if !listed[lessons.Code(codeValue(t, id.Name))] {
					t.Errorf("%s is used in %s but not among lessons.Codes", id.Name, f)
				}
			}
			return true
		})
	}
	if used < 30 {
		t.Errorf("found only %d uses of codes in the lessons package: the scan is broken", used)
	}
}

// codeValue is the value of the constant lessons.NAME, read from errors.go.
func codeValue(t *testing.T, name string) string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "../../lessons/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var v string
	ast.Inspect(file, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == name && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				v, _ = strconv.Unquote(lit.Value)
			}
		}
		return true
	})
	if v == "" {
		t.Errorf("no constant %s in lessons/errors.go", name)
	}
	return v
}

// A pack's problem reads in Korean with its place, its arguments and a
// refused key's reason worded too.
func TestLessonErrorTextKorean(t *testing.T) {
	t.Parallel()
	src := "---\nid: x\ntitle: X\n---\n```step\nrun: busybox\nmount: /etc\n```\n"
	_, err := lessons.Parse("en/1.md", []byte(src))
	if err == nil {
		t.Fatal("a step with mount was accepted")
	}
	ko := For("ko")
	got := LessonErrorText(&ko, err) // also: the step has no name
	want := `en/1.md:7:1: 단계 키 "mount"는 쓸 수 없습니다: 레슨은 호스트의 폴더를 컨테이너에 마운트할 수 없습니다`
	if got, _, _ = strings.Cut(got, "\n"); got != want {
		t.Errorf("Korean:\n got %q\nwant %q", got, want)
	}
	en := For("en")
	if got := LessonErrorText(&en, err); got != err.Error() {
		t.Errorf("English: %q, not the error's own %q", got, err.Error())
	}
}
