package i18n

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestKoreanParticlesFollowTheWord: the particle after a name, tag, number or
// id is the one its last sound takes (the examples a Korean classroom met).
func TestKoreanParticlesFollowTheWord(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ format, word, want string }{
		{"%s {은} 명령어가 아닙니다", "RUM", "RUM 은 명령어가 아닙니다"},
		{"%s {을} 쓰려던 건가요?", "RUN", "RUN 을 쓰려던 건가요?"},
		{"%s {은} 이미 최신입니다", "python:3.6.0-slim", "python:3.6.0-slim 은 이미 최신입니다"},
		{"%s {로} 컨테이너를 커밋하세요", "pyubuntu:mine", "pyubuntu:mine 으로 컨테이너를 커밋하세요"},
		{"종료 코드 %s {로} 끝나서", "3", "종료 코드 3 으로 끝나서"},
		{"종료 코드 %s {로} 끝나서", "1", "종료 코드 1 로 끝나서"},
		{"종료 코드 %s {로} 끝나서", "2", "종료 코드 2 로 끝나서"},
		{"%s {이} 데몬에 있습니다", "busybox:latest", "busybox:latest 가 데몬에 있습니다"},
		{"%s {이} 없습니다", "layerlab-box-1", "layerlab-box-1 이 없습니다"},
		{"%s {과} 같은 이미지", "59c8be4ae4c6", "59c8be4ae4c6 과 같은 이미지"},
		{"%s {과} 같은 이미지", "59c8be4ae4cb", "59c8be4ae4cb 와 같은 이미지"},
		{"%s {을} 지웁니다", "컨테이너", "컨테이너 를 지웁니다"},
		{"%s {을} 지웁니다", "이미지들", "이미지들 을 지웁니다"},
		{"%s {로} 갑니다", "서울", "서울 로 갑니다"},
		{"%s {은} 파일", "/hello.txt", "/hello.txt 는 파일"},
		{"(%s) {이} 있습니다", "pyubuntu:init", "(pyubuntu:init) 이 있습니다"},
		{"%s {은} 레이어", "kernel", "kernel 은 레이어"},
		{"%s {은} 컨테이너", "my-web", "my-web 은 컨테이너"},
		{"%s {을} 지웁니다", "pyubuntu:init", "pyubuntu:init 을 지웁니다"},
		{"%s {은} 올바른 레슨 팩이 아닙니다", "/tmp/badpack", "/tmp/badpack 은 올바른 레슨 팩이 아닙니다"},
		{"%s {을} 봅니다", "layerlab/stack", "layerlab/stack 을 봅니다"},
		{"%s {이} 있습니다", "busybox", "busybox 가 있습니다"},
		{"no token {here}", "", "no token {here}"},
	} {
		got := Tr(c.format, c.word)
		if c.word == "" {
			got = particles(c.format)
		}
		if got != c.want {
			t.Errorf("%q with %q: %q, want %q", c.format, c.word, got, c.want)
		}
	}
	// English strings have no tokens: tr is fmt.Sprintf.
	if got := Tr("%s is the name of %d images", "x", 2); got != "x is the name of 2 images" {
		t.Errorf("%q", got)
	}
}

// Issue 31, 17: after a parenthesis the particle follows the word before it
// (the name, not the id in brackets); 이라는/라는 follows the sound too.
func TestParticlesSkipAParenthesis(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"layerlab-box-1 (f68539629404) {이} 멈췄습니다": "layerlab-box-1 (f68539629404) 이 멈췄습니다",
		"레슨 (lesson) {을} 엽니다":                     "레슨 (lesson) 을 엽니다",
		"rmi-demo:v1{이라는} 이름":                     "rmi-demo:v1이라는 이름",
		"busybox{이라는} 이름":                         "busybox라는 이름",
	} {
		if got := Tr("%s", in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// Issue 31, 17: a particle written apart from a Latin word or code stays on
// that word's line when the text wraps; the marks are spaces again after.
func TestKeepParticlesKeepsThemOnTheWordsLine(t *testing.T) {
	t.Parallel()
	s := "이미지의 설정만 바꾸는 명령어 CMD 는 0 바이트 항목입니다"
	for w := 10; w < 40; w++ {
		wrapped := Unmark(ansi.Wordwrap(KeepParticles(s), w, ""))
		for _, l := range strings.Split(wrapped, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "는") {
				t.Errorf("width %d: a line starts with its particle:\n%s", w, wrapped)
			}
		}
		if strings.ReplaceAll(wrapped, "\n", " ") != s {
			t.Errorf("width %d: the words changed: %q", w, wrapped)
		}
	}
	if KeepParticles("이 레슨이 만든 것") != "이 레슨이 만든 것" {
		t.Error("a Korean word's space became a mark")
	}
}

// TestACountOfOneIsSingular: "1 steps" reads "1 step" in English, counts of
// other numbers (11, 0/1) and Korean are left as they are.
func TestACountOfOneIsSingular(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"built abc: 1 steps, 0 from the cache":       "built abc: 1 step, 0 from the cache",
		"3 instructions · 1 new layers · 1 metadata": "3 instructions · 1 new layer · 1 metadata",
		"1 layers · 1 metadata entries · 2MB":        "1 layer · 1 metadata entry · 2MB",
		"… 1 earlier lines":                          "… 1 earlier line",
		"11 steps, 21 layers, 0/1 steps":             "11 steps, 21 layers, 0/1 steps",
		"레이어 1개":                                     "레이어 1개",
	} {
		if got := Tr("%s", in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
