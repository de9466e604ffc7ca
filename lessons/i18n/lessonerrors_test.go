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

// Every problem the lessons package can report about a pack has its Korean
// words: the formats are read from the package's source (each fail and
// newError call, and each reason a step key is refused for), so a new
// message without a translation fails here.
func TestEveryLessonErrorHasKorean(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../lessons/*.go")
	var formats []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				id, ok := n.Fun.(*ast.Ident)
				if !ok {
					return true
				}
				at := map[string]int{"fail": 2, "newError": 3}[id.Name]
				if at == 0 || len(n.Args) <= at {
					return true
				}
				if lit, ok := n.Args[at].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					formats = append(formats, s)
				}
			case *ast.ValueSpec:
				if len(n.Names) == 1 && n.Names[0].Name == "forbiddenKeys" {
					for _, e := range n.Values[0].(*ast.CompositeLit).Elts {
						lit := e.(*ast.KeyValueExpr).Value.(*ast.BasicLit)
						s, _ := strconv.Unquote(lit.Value)
						formats = append(formats, s)
					}
				}
			}
			return true
		})
	}
	if len(formats) < 30 {
		t.Fatalf("found only %d messages in the lessons package: the scan is broken", len(formats))
	}
	for _, f := range formats {
		if lessonErrorsKo[f] == "" {
			t.Errorf("no Korean for the lesson pack message %q", f)
		}
		if strings.Count(lessonErrorsKo[f], "%") != strings.Count(f, "%") {
			t.Errorf("the Korean of %q has other verbs: %q", f, lessonErrorsKo[f])
		}
	}
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
