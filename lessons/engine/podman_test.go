package engine

import (
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// TestAShortNameFindsPodmansLocalhostImage: on Podman, podman commit c
// pyubuntu:mine names localhost/pyubuntu:mine, which docker run
// pyubuntu:mine runs there: the exercise finds it by the short name. On
// Docker (no ShortNames) localhost/pyubuntu is another repository.
func TestAShortNameFindsPodmansLocalhostImage(t *testing.T) {
	t.Parallel()
	podman := docker.Image{ID: "sha256:1", Repo: "localhost/pyubuntu", Tag: "mine", AllTags: []string{"localhost/pyubuntu:mine"}, ShortNames: []string{"pyubuntu:mine"}}
	if im, ok := FindImage([]docker.Image{podman}, "pyubuntu:mine"); !ok || im.ID != "sha256:1" {
		t.Errorf("Podman's localhost/pyubuntu:mine not found as pyubuntu:mine")
	}
	onDocker := podman
	onDocker.ShortNames = nil
	if _, ok := FindImage([]docker.Image{onDocker}, "pyubuntu:mine"); ok {
		t.Errorf("on Docker, localhost/pyubuntu:mine was taken for pyubuntu:mine")
	}
}
