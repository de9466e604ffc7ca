package tui

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// TestARemovalOnPodmanDoesNotSayContainerd: Podman, as the containerd
// store, names only the image in a removal's answer; the panel says that
// of Podman there, not that the engine keeps the containerd image store.
func TestARemovalOnPodmanDoesNotSayContainerd(t *testing.T) {
	t.Parallel()
	r := &docker.RemoveResult{Target: "rmi-demo:v1", ImageID: "sha256:8117b2198c18", ImageDeleted: true, LayersChecked: true,
		Layers: []docker.RemovedLayer{{Layer: docker.Layer{DiffID: "sha256:75dd364c35e5", Size: 4100}, Deleted: true}}}
	for _, lang := range []string{"en", "ko"} {
		m := testModelIn(t, lang, 100, 30)
		m = update1(m, connectedMsg{engine: docker.Engine{Version: "4.3.1", APIVersion: "1.41", Podman: true}})
		got := strings.Join(m.removalView(r, 200), "\n")
		if strings.Contains(got, "containerd") || !strings.Contains(got, m.t.LayersCheckedNotePodman) {
			t.Errorf("%s on Podman: %s", lang, got)
		}
		m = update1(m, connectedMsg{engine: docker.Engine{Version: "29.0.0", APIVersion: "1.51", ContainerdStore: true}})
		if got := strings.Join(m.removalView(r, 200), "\n"); !strings.Contains(got, m.t.LayersCheckedNote) {
			t.Errorf("%s on the containerd store: %s", lang, got)
		}
	}
}
