package i18n

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Korean particles (조사) depend on the sound the word before them ends with:
// 은/는, 이/가, 을/를, 과/와 take the first form after a final consonant
// (받침), (으)로 takes 으로 after any final consonant but ㄹ. A Korean
// string marks where a particle goes with a token, {은} {이} {을} {과} {로},
// after the word it follows (a space between is allowed); tr fills each in
// from that word as it is read aloud: Hangul by its last syllable, digits by
// their Korean names (3 → 삼 → 으로), Latin letters by how the word ends
// (RUN → 런 → 을, slim → 슬림 → 은, mine → 마인 → 으로).

// Tr is fmt.Sprintf for the strings tables, with the particle tokens filled
// in, and an English count of one said in the singular ("1 step").
func Tr(format string, a ...any) string {
	return singular(particles(fmt.Sprintf(format, a...)))
}

// oneOf is a count of one before an English plural the strings use.
var oneOf = regexp.MustCompile(`(^|[^0-9/.,:])1 ((?:new |earlier |metadata |more )?)(steps|layers|lines|entries|instructions|files|images|containers|volumes|tags)\b`)

// singular says "1 step", "1 new layer", "1 metadata entry" for "1 steps"…
func singular(s string) string {
	if !strings.Contains(s, "1 ") {
		return s
	}
	return oneOf.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasSuffix(m, "entries") {
			return strings.TrimSuffix(m, "ies") + "y"
		}
		return strings.TrimSuffix(m, "s")
	})
}

// particleAfter is a Korean particle written apart from the Latin word,
// number or code before it ("CMD 는", "v1 으로", "`x` 를").
var particleAfter = regexp.MustCompile("([A-Za-z0-9)\\]`'\">*]) (은|는|이|가|을|를|으로|로|으로는|로는|의|와|과|도|에|에서|에도|이라는|라는|처럼|만|마다|부터|까지|보다)([ \n.,:;!?)]|$)")

// KeepParticles keeps a particle on the line of the word it follows: the
// space between them becomes a mark no wrapper breaks at (keepMark), so that wrapping never puts
// "는" at the start of a line, away from its "CMD". What wraps text marks
// it so before wrapping, and turns the marks back into spaces after
// (Unmark).
func KeepParticles(s string) string {
	if !strings.Contains(s, " ") || !utf8.ValidString(s) {
		return s
	}
	for range 2 { // twice: a match's last character may start the next
		s = particleAfter.ReplaceAllString(s, "${1}"+keepMark+"${2}${3}")
	}
	return s
}

// particleForms are each token's forms: after a final consonant, after none.
var particleForms = map[string][2]string{
	"{은}":   {"은", "는"},
	"{이}":   {"이", "가"},
	"{을}":   {"을", "를"},
	"{과}":   {"과", "와"},
	"{로}":   {"으로", "로"},
	"{이라는}": {"이라는", "라는"},
}

// particles replaces every particle token in s by the form the word before it takes.
func particles(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 || i+1 >= len(s) {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		forms, ok := particleForms[s[i:i+max(j+1, 0)]]
		if j < 0 || !ok {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		final, rieul := finalSound(b.String())
		switch {
		case s[i:i+j+1] == "{로}" && rieul:
			b.WriteString(forms[1]) // ㄹ takes 로
		case final:
			b.WriteString(forms[0])
		default:
			b.WriteString(forms[1])
		}
		s = s[i+j+1:]
	}
}

// finalSound reports whether the word that text ends with (spaces, quotes
// and closing brackets skipped) ends in a final consonant when read aloud,
// and whether that consonant is ㄹ.
func finalSound(text string) (final, rieul bool) {
	text = strings.TrimRight(text, " "+keepMark)
	// A parenthesis after a word does not change how the particle after
	// it agrees: "layerlab-box-1 (f68539629404) 이" follows the name.
	for strings.HasSuffix(text, ")") {
		i := strings.LastIndexByte(text, '(')
		if i <= 0 {
			break
		}
		text = strings.TrimRight(text[:i], " "+keepMark)
	}
	rs := []rune(strings.TrimRight(text, " \"'`)]}»”’"))
	if len(rs) == 0 {
		return false, false
	}
	r := rs[len(rs)-1]
	switch {
	case r >= 0xAC00 && r <= 0xD7A3:
		jong := (r - 0xAC00) % 28
		return jong != 0, jong == 8
	case r >= '0' && r <= '9':
		// 영 일 이 삼 사 오 육 칠 팔 구
		return strings.ContainsRune("013678", r), strings.ContainsRune("178", r)
	case unicode.IsLetter(r) && r < 0x80:
		return latinFinal(strings.ToLower(lastWord(rs)))
	}
	return false, false
}

// lastWord is the run of ASCII letters and digits text ends with.
func lastWord(rs []rune) string {
	i := len(rs)
	for i > 0 && rs[i-1] < 0x80 && (unicode.IsLetter(rs[i-1]) || unicode.IsDigit(rs[i-1])) {
		i--
	}
	return string(rs[i:])
}

// latinFinal guesses from an English word (or an id) whether Korean reads it
// with a final consonant. An id of hex digits is spelled out (b 비, c 씨: a
// vowel). A word: l (ㄹ), m, n, ng; a silent e after a nasal (mine 마인);
// p, b, k, t right after a vowel (app 앱, web 웹, init 이닛), ck (pack 팩); anything else
// ends in a vowel (latest 레이티스트, box 박스).
func latinFinal(word string) (final, rieul bool) {
	if len(word) >= 12 && strings.Trim(word, "0123456789abcdef") == "" {
		return false, false
	}
	n := len(word)
	last := word[n-1]
	vowelBefore := n >= 2 && strings.ContainsRune("aeiou", rune(word[n-2]))
	switch {
	case last == 'l':
		return true, true
	case last == 'm' || last == 'n':
		return true, false
	case last == 'g' && strings.HasSuffix(word, "ng"):
		return true, false
	case last == 'e' && n >= 2 && (word[n-2] == 'n' || word[n-2] == 'm'):
		return true, false
	case strings.IndexByte("pbkt", last) >= 0 && vowelBefore:
		return true, false
	case strings.HasSuffix(word, "ck"): // pack 팩, stack 스택
		return true, false
	}
	return false, false
}

// keepMark is the space KeepParticles puts between a word and its
// particle: a no-break space, one cell wide, where no wrapper breaks a line.
const keepMark = "\u00a0"

// Unmark turns KeepParticles' marks back into spaces.
func Unmark(s string) string { return strings.ReplaceAll(s, keepMark, " ") }
