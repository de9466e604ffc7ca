package i18n

import (
	"reflect"
	"strings"
	"testing"
)

// Every line of the command line's help has its Korean, with the same
// verbs (%s) and the same backquoted names (pflag shows `NAME` as the
// option's value): the help is fields of HelpStrings, a code each, not a
// catalog keyed by its English.
func TestEveryHelpLineHasKorean(t *testing.T) {
	t.Parallel()
	en, ko := reflect.ValueOf(English.Help), reflect.ValueOf(Korean.Help)
	if en.NumField() < 40 {
		t.Fatalf("only %d help lines: the struct lost some", en.NumField())
	}
	for i := range en.NumField() {
		name := en.Type().Field(i).Name
		e, k := en.Field(i).String(), ko.Field(i).String()
		if e == "" || k == "" || e == k {
			t.Errorf("%s: English %q, Korean %q", name, e, k)
		}
		if strings.Count(k, "%") != strings.Count(e, "%") || strings.Count(k, "`") != strings.Count(e, "`") {
			t.Errorf("%s: the Korean has other verbs or backquotes than the English: %q, %q", name, k, e)
		}
	}
}
