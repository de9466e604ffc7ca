package i18n

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var verbRe = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// walkStrings calls f with the path and the value of every string in t.
func walkStrings(v reflect.Value, path string, f func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v.String())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			f(path+"["+k.String()+"]", v.MapIndex(k).String())
		}
	}
}

func TestEveryStringIsTranslated(t *testing.T) {
	en := map[string]string{}
	walkStrings(reflect.ValueOf(English), "", func(p, s string) { en[p] = s })
	for lang, tr := range Languages {
		got := map[string]string{}
		walkStrings(reflect.ValueOf(tr), "", func(p, s string) { got[p] = s })
		for p, e := range en {
			s, ok := got[p]
			if !ok || s == "" {
				t.Errorf("%s: %s is not translated", lang, p)
				continue
			}
			// Same verbs, so fmt fills them the same way; verbs that name
			// their argument (%[2]s) may come in another order.
			ev, sv := verbRe.FindAllString(e, -1), verbRe.FindAllString(s, -1)
			if indexed(ev) && indexed(sv) {
				ev, sv = slices.Sorted(slices.Values(ev)), slices.Sorted(slices.Values(sv))
			}
			if !slices.Equal(ev, sv) {
				t.Errorf("%s: %s has verbs %v, English %v", lang, p, sv, ev)
			}
		}
	}
}

// indexed reports whether every verb names its argument (%[1]d).
func indexed(verbs []string) bool {
	for _, v := range verbs {
		if !strings.HasPrefix(v, "%[") {
			return false
		}
	}
	return len(verbs) > 0
}

func TestMissingStringsFallBackToEnglish(t *testing.T) {
	partial := Strings{AppName: "x", DF: DockerfileStrings{Instr: map[string]string{"RUN": "달려"}}}.withFallback()
	if partial.KeyQuit != English.KeyQuit || partial.Err.RetryHint != English.Err.RetryHint || partial.AppName != "x" {
		t.Error("fallback")
	}
	if partial.DF.Instr["RUN"] != "달려" || partial.DF.Instr["COPY"] != English.DF.Instr["COPY"] {
		t.Error("map fallback")
	}
	if For("fr").KeyQuit != English.KeyQuit || For("ko").KeyQuit != Korean.KeyQuit {
		t.Error("For")
	}
}

// TestFallbackLeavesTheTablesAlone: filling a language's gaps with English
// copies its maps; the table itself (shared by every learner of a process)
// is never written to.
func TestFallbackLeavesTheTablesAlone(t *testing.T) {
	instr := map[string]string{"RUN": "달려"}
	partial := Strings{DF: DockerfileStrings{Instr: instr}}
	filled := partial.withFallback()
	if len(instr) != 1 || partial.DF.Instr["COPY"] != "" {
		t.Errorf("the table's map was filled in place: %v", instr)
	}
	if filled.DF.Instr["COPY"] != English.DF.Instr["COPY"] {
		t.Error("the copy was not filled")
	}
	before := len(Korean.DF.Instr)
	ko := For("ko")
	ko.DF.Instr["NEW"] = "x"
	if len(Korean.DF.Instr) != before {
		t.Error("a copy from For shares its map with the Korean table")
	}
}
