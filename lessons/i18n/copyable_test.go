package i18n

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// placeholder is a word a learner would have to replace before a command
// runs: an upper-case stand-in (NAME, FILE) or a Korean word that is not a
// particle after the command.
var placeholder = regexp.MustCompile(`\b(NAME|FILE|IMAGE|CONTAINER|TAG|VOLUME|PATH)\b`)

// koParticles may follow a command in a Korean sentence ("docker volume ls 가").
var koParticles = []string{"은", "는", "이", "가", "을", "를", "에", "로", "으로", "와", "과", "의", "도", "에서", "입니다", "처럼"}

// commandIn returns the docker commands in s, each up to where the sentence
// goes on (punctuation, a particle), and the first word after one that no
// learner could type (a Korean word that is no particle), "" if none.
func commandsIn(s string) (cmds []string, bad string) {
	for _, part := range strings.Split(s, "docker ")[1:] {
		var cmd []string
		for _, w := range strings.Fields(part) {
			if strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
				if !slices.Contains(koParticles, strings.TrimRight(w, ".,:;)")) && !strings.ContainsAny(w[:1], "(.,:;") {
					bad = w
				}
				break
			}
			cmd = append(cmd, strings.TrimRight(w, ",;"))
			if strings.ContainsAny(w[len(w)-1:], ",;:)") {
				break
			}
		}
		cmds = append(cmds, "docker "+strings.Join(cmd, " "))
		if bad != "" {
			return cmds, bad
		}
	}
	return cmds, ""
}

// TestCopyableCommandsRunAsIs: a docker command the new lessons (8 to 11)
// show, in their text or in the words of their steps and exercises
// (volumes, save and load), runs as it is written: no NAME or FILE to
// replace, no Korean word in it (found by a newcomer: docker volume create
// 이름), in both languages.
func TestCopyableCommandsRunAsIs(t *testing.T) {
	t.Parallel()
	code := regexp.MustCompile("`(docker [^`]*)`|(?m)^    (docker .*)$")
	for _, lang := range []string{"en", "ko"} {
		files, _ := filepath.Glob(filepath.Join("..", "content", lang, "[01][0-9]-*.md"))
		for _, f := range files {
			if n := filepath.Base(f); n < "08" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range code.FindAllStringSubmatch(string(b), -1) {
				cmd := m[1] + m[2]
				if placeholder.MatchString(cmd) || strings.ContainsFunc(cmd, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
					t.Errorf("%s: %q is not a command to run as it is", f, cmd)
				}
			}
		}
		tr := For(lang)
		for _, s := range []any{tr.Vol, tr.Arch} {
			v := reflect.ValueOf(s)
			for i := range v.NumField() {
				if v.Field(i).Kind() != reflect.String {
					continue
				}
				text := v.Field(i).String()
				cmds, bad := commandsIn(text)
				for _, c := range cmds {
					if placeholder.MatchString(c) {
						bad = c
					}
				}
				if bad != "" {
					t.Errorf("%s %s.%s: %q in %q is not a command to run as it is", lang, v.Type().Name(), v.Type().Field(i).Name, bad, text)
				}
			}
		}
	}
}

// TestTheShrinkLessonSaysWhatItsCardsShow: lesson 9's text names what the
// build card shows in its words: the context line's ".dockerignore" count
// (not "1 ignored"), and the last build's 5 steps, 4 from the cache, its
// FROM DONE (not "every step CACHED"), in both languages (found by a
// newcomer). TestCacheOrderAsTheLessonSays checks the daemon prints so.
func TestTheShrinkLessonSaysWhatItsCardsShow(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		b, err := os.ReadFile(filepath.Join("..", "content", lang, "09-shrink.md"))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(b)), " ")
		tr := For(lang)
		done := Tr(tr.DF.BuildDoneFmt, "x", 5, 4)
		for _, want := range []string{strings.TrimPrefix(Tr(tr.DF.IgnoredFmt, 1), " · "), done[strings.Index(done, ": ")+2:], "`FROM`", "`DONE`"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: lesson 9 does not say %q as its card does", lang, want)
			}
		}
		for _, not := range []string{"1 ignored", "Every step is `CACHED`", "\n모든 단계가 `CACHED`", "everything CACHED", "다시 빌드: 모두 CACHED", "(컨텍스트 줄에 1개 제외)"} {
			if strings.Contains(string(b), not) {
				t.Errorf("%s: lesson 9 says %q", lang, not)
			}
		}
	}
}
