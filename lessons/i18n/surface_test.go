package i18n

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
)

// TestALimitIsWordedWithItsCount: a client's KindLimit refusal says what
// was counted, how many there are and the bound, in each language.
func TestALimitIsWordedWithItsCount(t *testing.T) {
	t.Parallel()
	ko := For("ko")
	for _, c := range []struct {
		err    *docker.Error
		en, ko string
	}{
		{&docker.Error{Kind: docker.KindLimit, Op: "run busybox", Of: docker.LimitContainers, Have: 2, Most: 2},
			"You have 2 containers, the most one learner may keep here (2)", "컨테이너가 2개로, 한 학습자가 여기 둘 수 있는 최대(2개)"},
		{&docker.Error{Kind: docker.KindLimit, Op: "pull busybox:latest", Of: docker.LimitImages, Have: 41, Most: 40},
			"You have 41 images, the most one learner may keep here (40)", "이미지가 41개로"},
	} {
		if x := Explain(&English, c.err, "", ""); x.Title != English.Err.LimitTitle || !strings.Contains(x.Plain, c.en) {
			t.Errorf("English: %+v", x)
		}
		if x := Explain(&ko, c.err, "", ""); x.Title != ko.Err.LimitTitle || !strings.Contains(x.Plain, c.ko) {
			t.Errorf("Korean: %+v", x)
		}
	}
}

// TestAnImageMissingLocallyIsNotTheRegistrys: history or inspect of an
// image the engine lacks asked no registry, and says it is not on the
// engine; a pull's not-found is the registry's.
func TestAnImageMissingLocallyIsNotTheRegistrys(t *testing.T) {
	t.Parallel()
	ko := For("ko")
	for _, c := range []struct {
		op, ref, en, ko string
		registry        bool
	}{
		{"history nosuch", "nosuch", "There is no image nosuch on your daemon: nothing was asked of a registry", "데몬에 nosuch 이미지가 없습니다: 레지스트리에는", false},
		{"inspect nosuch", "nosuch", "There is no image or container nosuch on your daemon", "데몬에 nosuch 이미지도 컨테이너도 없습니다", false},
		{"tag nosuch x:1", "nosuch", "There is no image nosuch on your daemon", "데몬에 nosuch 이미지가 없습니다", false},
		{"pull nosuch:latest", "nosuch", "The registry has no image nosuch", "레지스트리에 nosuch 이미지가 없습니다", true},
	} {
		err := &docker.Error{Kind: docker.KindNotFound, Op: c.op, Detail: "No such image: " + c.ref}
		for _, w := range []struct {
			t    *Strings
			want string
		}{{&English, c.en}, {&ko, c.ko}} {
			x := Explain(w.t, err, c.ref, "")
			if !strings.Contains(x.Plain, w.want) {
				t.Errorf("%s: %q, want %q", c.op, x.Plain, w.want)
			}
			if mentions := strings.Contains(x.Plain, "The registry has") || strings.HasPrefix(x.Plain, "레지스트리에 "); mentions != c.registry {
				t.Errorf("%s: registry named %v: %q", c.op, mentions, x.Plain)
			}
		}
	}
}

// TestAnotherRegistryIsRefusedInWords: the classroom's refusal of another
// registry names the command and the registry, in each language.
func TestAnotherRegistryIsRefusedInWords(t *testing.T) {
	t.Parallel()
	e := &dockercli.Error{Code: dockercli.CodeOtherRegistry, Cmd: "pull", Detail: "ghcr.io"}
	if got := CmdErrText(&English, e); !strings.Contains(got, "docker pull: images come only from the classroom's registry here, not from ghcr.io") {
		t.Errorf("English: %q", got)
	}
	ko := For("ko")
	if got := CmdErrText(&ko, e); !strings.Contains(got, "교실의 레지스트리에서만") || !strings.Contains(got, "ghcr.io에서는") {
		t.Errorf("Korean: %q", got)
	}
}
