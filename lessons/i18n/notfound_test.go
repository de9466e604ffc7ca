package i18n

import (
	"errors"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// Issue 31, 9: the words follow what the registry or the daemon answered:
// a tag the registry lacks, a repository it lacks, an engine that does not
// say which; an image missing on the daemon (no registry asked); a command
// missing in an image that is there; a name the daemon refuses as invalid.
func TestNotFoundSaysWhatWasMissing(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		what string
		err  *docker.Error
		ref  string
		want map[string][]string
		not  []string
	}{
		{"tag", &docker.Error{Kind: docker.KindNotFound, Op: "pull busybox:nosuch", Absent: docker.AbsentTag,
			Detail: "manifest for busybox:nosuch not found: manifest unknown: manifest unknown"}, "busybox:nosuch",
			map[string][]string{"en": {"No such tag", "has the repository busybox, but no tag nosuch"}, "ko": {"그런 태그가 없습니다", "busybox 저장소는 있지만 nosuch 태그는 없습니다"}},
			[]string{"repository busybox (", "없는 저장소"}},
		{"repository", &docker.Error{Kind: docker.KindNotFound, Op: "pull nosuchrepo:latest", Absent: docker.AbsentRepository,
			Detail: "repository nosuchrepo not found: name unknown: Unknown name"}, "nosuchrepo:latest",
			map[string][]string{"en": {"No such repository", "has no repository nosuchrepo"}, "ko": {"그런 저장소가 없습니다", "nosuchrepo 저장소가 없습니다"}},
			[]string{"tag latest", "latest 태그"}},
		{"either", &docker.Error{Kind: docker.KindNotFound, Op: "pull nosuchrepo:1.0", Absent: docker.AbsentTagOrRepository,
			Detail: `failed to resolve reference "nosuchrepo:1.0": not found`}, "nosuchrepo:1.0",
			map[string][]string{"en": {"the repository or its tag does not exist"}, "ko": {"저장소나 그 태그 중 하나가 없는데"}}, nil},
		{"local tag", &docker.Error{Kind: docker.KindNotFound, Op: "pull busybox:latest-2", Absent: docker.AbsentTag, OnDaemon: true,
			Detail: "manifest for busybox:latest-2 not found: manifest unknown: manifest unknown"}, "busybox:latest-2",
			map[string][]string{"en": {"no tag latest-2", "busybox:latest-2 is a name on your daemon only"}, "ko": {"latest-2 태그는 없습니다", "busybox:latest-2는 내 데몬에만 있는 이름입니다"}}, nil},
		{"history", &docker.Error{Kind: docker.KindNotFound, Op: "history nosuch", Absent: docker.AbsentLocal,
			Detail: "Error response from daemon: No such image: nosuch:latest"}, "nosuch",
			map[string][]string{"en": {"No such image on your daemon", "There is no image nosuch on your daemon"}, "ko": {"데몬에 그런 이미지가 없습니다", "데몬에 nosuch 이미지가 없습니다"}},
			[]string{"registry has", "레지스트리에 nosuch"}},
		{"inspect", &docker.Error{Kind: docker.KindNotFound, Op: "inspect nosuch", Absent: docker.AbsentLocal, Detail: "No such object: nosuch"}, "nosuch",
			map[string][]string{"en": {"No such image on your daemon"}, "ko": {"데몬에 그런 이미지가 없습니다"}},
			[]string{"registry has", "레지스트리에 nosuch"}},
		{"command", &docker.Error{Kind: docker.KindNoCommand, Op: "run busybox", Name: "nosuchcmd",
			Detail: `exec: "nosuchcmd": executable file not found in $PATH: unknown`}, "busybox",
			map[string][]string{"en": {"No such command in the image", "nosuchcmd is not a program in the image busybox"}, "ko": {"이미지에 그런 명령이 없습니다", "nosuchcmd는 busybox 이미지 안에"}},
			[]string{"No such image", "그런 이미지가 없습니다"}},
		{"rmi BAD", &docker.Error{Kind: docker.KindBadReference, Op: "remove image BAD", Rule: docker.RuleLowercase, Suggest: "bad",
			Detail: "Error response from daemon: no such image: BAD: invalid reference format: repository name must be lowercase"}, "BAD",
			map[string][]string{"en": {"not a valid image name", "must be lowercase", "try bad"}, "ko": {"올바른 이미지 이름이 아닙니다", "소문자여야"}},
			[]string{"Already gone", "이미 없습니다"}},
	} {
		for lang, want := range c.want {
			s := For(lang)
			x := Explain(&s, c.err, c.ref, "")
			got := x.Title + " " + x.Plain + " " + strings.Join(x.Todo, " ")
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%s %s: %q lacks %q", c.what, lang, got, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("%s %s: %q says %q", c.what, lang, got, n)
				}
			}
			if x.Docker != c.err.Detail {
				t.Errorf("%s %s: Docker's own words %q, want %q", c.what, lang, x.Docker, c.err.Detail)
			}
		}
	}
}

// Issue 31, 10: offline with no mirror, the advice names the bundle beside
// the mirror; with a mirror (it is the mirror that cannot be reached) the
// bundle is not the first word.
func TestOfflineNamesTheBundle(t *testing.T) {
	t.Parallel()
	err := &docker.Error{Kind: docker.KindRegistryUnreachable, Op: "pull busybox:latest", Err: errors.New("dial tcp: lookup registry-1.docker.io: no such host")}
	for _, lang := range []string{"en", "ko"} {
		s := For(lang)
		todo := strings.Join(Explain(&s, err, "busybox:latest", "").Todo, "\n")
		for _, w := range []string{"--registry-mirror", "layerlab bundle import FILE"} {
			if !strings.Contains(todo, w) {
				t.Errorf("%s: %q lacks %q", lang, todo, w)
			}
		}
		if todo := strings.Join(Explain(&s, err, "busybox:latest", "127.0.0.1:5555").Todo, "\n"); strings.Contains(todo, "bundle") {
			t.Errorf("%s: with a mirror set, %q", lang, todo)
		}
	}
}
