package cli

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Issue 31, 7: cleanup lists the image a pull left dangling (its tag moved
// to the registry's newer image) as one layerlab pulled, in both languages.
func TestCleanupNamesAPulledImageLeftDangling(t *testing.T) {
	t.Parallel()
	it := docker.CleanupItem{Kind: docker.ItemImage, Name: "8b1da740ff4c", ID: "sha256:8b1da740ff4c", Size: 1990000, Lesson: "pull", How: "pull"}
	for lang, want := range map[string]string{"en": "image layerlab pulled, dangling", "ko": "layerlab 이 받은 이미지"} {
		var b strings.Builder
		itemTable(&b, i18n.For(lang), []docker.CleanupItem{it})
		if !strings.Contains(b.String(), want) || !strings.Contains(b.String(), "8b1da740ff4c") {
			t.Errorf("%s: %q lacks %q", lang, b.String(), want)
		}
	}
}
