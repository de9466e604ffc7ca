package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// TestPlainPrintsAPodmanBuildAsItComes: on Podman plain mode prints the
// builder's lines (STEP, --> Using cache, --> ID, COMMIT) once each, as they
// come, as docker build against Podman prints them (the recorded stream
// against the recorded transcript), never "0 steps" nor a list after.
func TestPlainPrintsAPodmanBuildAsItComes(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("..", "docker", "testdata", "podman", "build-cached.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	o := &plainOut{w: &b, width: 100, phases: map[string]docker.Phase{}}
	p := docker.BuildProgress{Buildah: true}
	if err := docker.DecodeBuild(f, &p, func(bp docker.BuildProgress) { o.progress(bp) }); err != nil {
		t.Fatal(err)
	}
	o.progress(p) // the last state again: nothing more
	want, err := os.ReadFile(filepath.Join("..", "docker", "testdata", "podman", "docker-build-cached.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		if !strings.HasPrefix(l, "Sending build context") {
			lines = append(lines, "  "+l)
		}
	}
	if got := strings.TrimRight(b.String(), "\n"); got != strings.Join(lines, "\n") {
		t.Errorf("plain printed\n%s\nwant\n%s", got, strings.Join(lines, "\n"))
	}
}
