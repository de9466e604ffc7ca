package i18n

import (
	"errors"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockerfile"
)

// A run of an image the daemon does not have is not a registry's answer:
// layerlab's run downloads nothing, so it says to pull or build it first,
// in both languages.
func TestARunOfAMissingImageSaysSo(t *testing.T) {
	t.Parallel()
	err := &docker.Error{Kind: docker.KindNotFound, Op: "run pyubuntu:init", Detail: "Error response from daemon: No such image: pyubuntu:init",
		Err: errors.New("Error response from daemon: No such image: pyubuntu:init")}
	for lang, want := range map[string][]string{
		"en": {"No such image on your daemon", "There is no image pyubuntu:init on your daemon", "pull or build pyubuntu:init first"},
		"ko": {"데몬에 그런 이미지가 없습니다", "데몬에 pyubuntu:init 이미지가 없습니다", "먼저 pyubuntu:init을 받거나 빌드하세요"},
	} {
		s := For(lang)
		x := Explain(&s, err, "pyubuntu:init", "")
		got := x.Title + " " + x.Plain
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", lang, got, w)
			}
		}
		if strings.Contains(got, "registry") || strings.Contains(got, "레지스트리") {
			t.Errorf("%s: blames a registry: %q", lang, got)
		}
	}
}

// Issue 28, 15: layerlab's own refusals were shown as "Docker said".
func TestLayerlabsRefusalsAreNotDockerSaid(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		tr := For(lang)
		for _, err := range []error{
			&docker.Error{Kind: docker.KindOutside, Op: "build", Detail: "hello.txt leads to /etc/passwd"},
			&docker.Error{Kind: docker.KindContextTooBig, Op: "build", Size: 900 << 20, Limit: 500 << 20, Detail: "too big"},
			&docker.Error{Kind: docker.KindNoDockerfile, Op: "build", Name: "Dockerfile", Detail: "no file"},
			&docker.Error{Kind: docker.KindNoContext, Op: "build", Name: "app", Detail: "no folder"},
			&docker.Error{Kind: docker.KindNotDocker, Op: "connect", Host: "unix:///run/web.sock", Err: errors.New("Error response from daemon: <html>")},
		} {
			x := Explain(&tr, err, "", "")
			if x.Docker != "" {
				t.Errorf("%s %v: %q is shown as Docker's words", lang, docker.KindOf(err), x.Docker)
			}
			if x.Title == "" || x.Plain == "" {
				t.Errorf("%s %v: no words", lang, docker.KindOf(err))
			}
		}
		x := Explain(&tr, &docker.Error{Kind: docker.KindOutside, Detail: "hello.txt leads to /etc/passwd"}, "", "")
		if !strings.Contains(x.Plain, "hello.txt leads to /etc/passwd") {
			t.Errorf("%s: the path that leads out is not said: %q", lang, x.Plain)
		}
	}
}

// Issue 30, 5: the analyzer's findings of a shell-form ENTRYPOINT, a list
// that is not JSON, and the parser's refusals of arguments are said in the
// learner's language (the parser's own words were English on a Korean
// screen).
func TestDockerfileFindingsInBothLanguages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		src    string
		en, ko string
	}{
		{"FROM busybox\nUSER\n", "USER takes exactly one argument", "USER 에는 인자가 정확히 하나 있어야 합니다"},
		{"FROM busybox\nCOPY onlyone\n", "COPY needs a source and a destination", "COPY 에는 원본과 대상"},
		{"FROM busybox\nCMD [\"sh\", \"-c\" \"echo two\"]\n", "is not valid JSON", "올바른 JSON 이 아닙니다"},
		{"FROM busybox\nENTRYPOINT sh\nCMD [\"-c\", \"echo hi\"]\n", "the CMD on line 3 is not its arguments", "3 번째 줄의 CMD 는 그 인자가 되지 않고"},
	} {
		a := dockerfile.Analyze(c.src)
		for lang, want := range map[string]string{"en": c.en, "ko": c.ko} {
			tr := For(lang)
			var said []string
			for _, n := range a.Notes {
				said = append(said, DockerfileNote(&tr, n))
			}
			all := strings.Join(said, "\n")
			if !strings.Contains(all, want) {
				t.Errorf("%s %q: %q lacks %q", lang, c.src, all, want)
			}
			if l, ok := a.LineAt(3); ok && l.Keyword == "ENTRYPOINT" && strings.Contains(InstrText(&tr, l), tr.DF.Instr["ENTRYPOINT"]) {
				t.Errorf("%s: a shell-form ENTRYPOINT is explained as the list form: %q", lang, InstrText(&tr, l))
			}
			if lang == "ko" && strings.Contains(all, "requires") {
				t.Errorf("ko %q: the parser's English: %q", c.src, all)
			}
		}
	}
}
