package i18n

import (
	"strings"

	"github.com/layerlab/layerlab/lessons"
)

// The codes of the languages layerlab speaks (the lessons' own: lessons
// names them, as it cannot import this package).
const (
	LangEnglish = lessons.LangEnglish
	LangKorean  = lessons.LangKorean
)

// Codes are the languages layerlab speaks, English first.
func Codes() []string { return lessons.LangCodes() }

// Known reports whether layerlab speaks lang.
func Known(lang string) bool {
	_, ok := Languages[lang]
	return ok
}

// Other is the language after lang in Codes (the app's L key): the first
// after the last, and English for one layerlab does not speak.
func Other(lang string) string {
	codes := Codes()
	for i, c := range codes {
		if c == lang {
			return codes[(i+1)%len(codes)]
		}
	}
	return LangEnglish
}

// FromLocale is the language a locale asks for, read as programs read it:
// the first of LC_ALL, LC_MESSAGES and LANG that is set decides. ko… is
// Korean; C and POSIX (C.UTF-8 too) name no language; any other is English.
// named is false when none is set or the one set is C or POSIX: the lang is
// then English, and a caller that can ask (the classroom) may ask instead.
// getenv is os.Getenv, or a session's environment.
func FromLocale(getenv func(string) string) (lang string, named bool) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		switch name, _, _ := strings.Cut(v, "."); {
		case strings.HasPrefix(strings.ToLower(name), LangKorean):
			return LangKorean, true
		case name == "C" || name == "POSIX":
			return LangEnglish, false
		}
		return LangEnglish, true
	}
	return LangEnglish, false
}

// EnvLookup is getenv over an environment as KEY=VALUE lines (an SSH
// session's, os.Environ()).
func EnvLookup(env []string) func(string) string {
	return func(k string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if v, ok := strings.CutPrefix(env[i], k+"="); ok {
				return v
			}
		}
		return ""
	}
}
