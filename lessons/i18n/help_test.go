package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// Every line of help main.go words with h("…") has its Korean: the
// literals are read from main.go's source, so a new flag without a
// translation fails here.
func TestEveryHelpLineHasKorean(t *testing.T) {
	t.Parallel()
	file, err := parser.ParseFile(token.NewFileSet(), "../../main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(file, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "h" || len(call.Args) != 1 {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("h(…) of something else than a literal: its Korean cannot be checked")
			return true
		}
		s, _ := strconv.Unquote(lit.Value)
		n++
		ko := Help("ko", s)
		if ko == s {
			t.Errorf("no Korean for the help %q", s)
		}
		if strings.Count(ko, "%") != strings.Count(s, "%") || strings.Count(ko, "`") != strings.Count(s, "`") {
			t.Errorf("the Korean of %q has other verbs or backquotes: %q", s, ko)
		}
		return true
	})
	if n < 25 {
		t.Errorf("found only %d help lines in main.go: the scan is broken", n)
	}
	if Help("en", "only list what would be removed") != "only list what would be removed" {
		t.Error("English is its own help")
	}
}
