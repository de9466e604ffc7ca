package i18n

import (
	"errors"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
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
