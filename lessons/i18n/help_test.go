package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every line of help the commands (package cli) word with h("…") or
// e.h("…") has its Korean: the literals are read from cli's source, so a
// new flag without a translation fails here.
func TestEveryHelpLineHasKorean(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("../../cli/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	n := 0
	isH := func(f ast.Expr) bool {
		switch f := f.(type) {
		case *ast.Ident:
			return f.Name == "h"
		case *ast.SelectorExpr:
			return f.Sel.Name == "h"
		}
		return false
	}
	for _, file := range files {
		ast.Inspect(file, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			if !isH(call.Fun) || len(call.Args) != 1 {
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
	}
	if n < 25 {
		t.Errorf("found only %d help lines in cli/: the scan is broken", n)
	}
	if Help("en", "only list what would be removed") != "only list what would be removed" {
		t.Error("English is its own help")
	}
}
