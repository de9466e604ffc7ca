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
			&docker.Error{Kind: docker.KindArchive, Op: "save", Archive: docker.ArchiveTooBig, Size: 900 << 20, Limit: 512 << 20},
			&docker.Error{Kind: docker.KindArchive, Op: "list", Archive: docker.ArchiveMissing, Name: "files-demo.tar"},
			&docker.Error{Kind: docker.KindArchive, Op: "list", Archive: docker.ArchiveNotSave, Name: "x.tar", Detail: "no manifest.json"},
			&docker.Error{Kind: docker.KindArchive, Op: "load", Archive: docker.ArchiveChanged, Name: "x.tar", Others: []string{"0123456789ab"}},
			&docker.Error{Kind: docker.KindArchive, Op: "load", Archive: docker.ArchiveNotSaved, Name: "files-demo.tar"},
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

// A COPY source the build did not send is explained by why: the
// .dockerignore rule, the context it climbed out of, or nothing there; in
// both languages, Docker's own words kept beside.
func TestACopySourceNotSentIsExplained(t *testing.T) {
	t.Parallel()
	detail := `failed to compute cache key: "/secret.txt": not found`
	for _, c := range []struct {
		ms   docker.MissingSource
		lang string
		want []string
	}{
		{docker.MissingSource{Line: 2, Source: "secret.txt", Path: "/secret.txt", Why: docker.SourceIgnored, Rule: "secret*"}, "en",
			[]string{"A file to copy is not in the build context", "Line 2 copies secret.txt, and .dockerignore leaves it out (the rule secret*)", "Take the rule secret* out of .dockerignore"}},
		{docker.MissingSource{Line: 2, Source: "secret.txt", Path: "/secret.txt", Why: docker.SourceIgnored, Rule: "secret*"}, "ko",
			[]string{"복사할 파일이 빌드 컨텍스트에 없습니다", "2행이 secret.txt를 복사하는데, .dockerignore 가 이것을 뺍니다 (규칙 secret*)", "규칙 secret*를 지우거나"}},
		{docker.MissingSource{Line: 4, Source: "../up.txt", Path: "/up.txt", Why: docker.SourceOutside}, "en",
			[]string{"Line 4 copies ../up.txt, which is outside the build context", "Docker looked for /up.txt inside it", "Put the file in the context folder"}},
		{docker.MissingSource{Line: 4, Source: "../up.txt", Path: "/up.txt", Why: docker.SourceOutside}, "ko",
			[]string{"4행이 복사하는 ../up.txt는 빌드 컨텍스트 밖에 있습니다", "/up.txt를 찾았습니다"}},
		{docker.MissingSource{Line: 5, Source: "nothere", Path: "/nothere", Why: docker.SourceAbsent}, "en",
			[]string{"Line 5 copies nothere, and the build context has no /nothere."}},
		{docker.MissingSource{Source: "x", Path: "/x"}, "ko", []string{"빌드가 보낸 것 안에서 x를 찾지 못했습니다"}},
	} {
		s := For(c.lang)
		ms := c.ms
		x := Explain(&s, &docker.Error{Kind: docker.KindSourceMissing, Detail: detail, Missing: &ms}, "", "")
		got := x.Title + " " + x.Plain + " " + strings.Join(x.Todo, " ")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.lang, got, w)
			}
		}
		if x.Docker != detail {
			t.Errorf("%s: Docker's words %q", c.lang, x.Docker)
		}
	}
}

// A daemon that took a call and did not answer in time is not an unknown
// error, in any front end (the banner, a notice, the : line), in both
// languages.
func TestNoAnswerIsExplainedEverywhere(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		s := For(lang)
		x := Explain(&s, &docker.Error{Kind: docker.KindNoAnswer, Op: "images"}, "", "")
		if x.Title != s.Err.NoAnswerTitle || x.Title == s.Err.UnknownTitle || x.Docker != "" {
			t.Errorf("%s: %+v", lang, x)
		}
	}
}

// TestPodmansWordsAreSaidToBePodmans: on Podman the daemon's own words are
// headed as Podman's, in both languages; Docker's stay Docker's.
func TestPodmansWordsAreSaidToBePodmans(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		t              Strings
		docker, podman string
	}{{English, "Docker said: ", "Podman said: "}, {Korean, "Docker 원문: ", "Podman 원문: "}} {
		err := &docker.Error{Kind: docker.KindBuildFailed, Op: "build", Detail: "while running runtime: exit status 3", ExitCode: 3}
		if got := ErrorText(tc.t, err); !strings.Contains(got, tc.docker+"while running") {
			t.Errorf("on Docker: %q", got)
		}
		err.Podman = true
		got := ErrorText(tc.t, err)
		if !strings.Contains(got, tc.podman+"while running") || strings.Contains(got, tc.docker) {
			t.Errorf("on Podman: %q", got)
		}
	}
}
