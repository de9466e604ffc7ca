package i18n

import "testing"

// TestFromLocale: one reader of the locale for the commands and the
// classroom: the first of LC_ALL, LC_MESSAGES and LANG set decides; C and
// POSIX name no language.
func TestFromLocale(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env   []string
		lang  string
		named bool
	}{
		{nil, LangEnglish, false},
		{[]string{"LANG=ko_KR.UTF-8"}, LangKorean, true},
		{[]string{"LANG=KO"}, LangKorean, true},
		{[]string{"LANG=en_GB.UTF-8"}, LangEnglish, true},
		{[]string{"LANG=fr_FR.UTF-8"}, LangEnglish, true},
		{[]string{"LANG=C"}, LangEnglish, false},
		{[]string{"LANG=C.UTF-8"}, LangEnglish, false},
		{[]string{"LANG=POSIX"}, LangEnglish, false},
		{[]string{"LC_ALL=C", "LANG=ko_KR.UTF-8"}, LangEnglish, false},
		{[]string{"LC_MESSAGES=ko_KR.UTF-8", "LANG=en_US.UTF-8"}, LangKorean, true},
		{[]string{"LC_ALL=", "LANG=ko_KR.UTF-8"}, LangKorean, true},
		{[]string{"LC_CTYPE=ko_KR.UTF-8"}, LangEnglish, false},
	} {
		lang, named := FromLocale(EnvLookup(c.env))
		if lang != c.lang || named != c.named {
			t.Errorf("%v: %s %v, want %s %v", c.env, lang, named, c.lang, c.named)
		}
	}
	if Other(LangEnglish) != LangKorean || Other(LangKorean) != LangEnglish || Other("fr") != LangEnglish {
		t.Error("Other")
	}
	for _, c := range Codes() {
		if !Known(c) {
			t.Errorf("%s is a code without strings", c)
		}
	}
	if Known("fr") {
		t.Error("fr")
	}
}
