package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
)

// TestContainerLinesKeepTheWritableSize: the panel's container line says the
// container's state in the learner's language and its writable layer's size,
// which the lesson points at, at 100 and 80 columns: when the line cannot hold
// both, the size goes on a line of its own instead of being cut off.
func TestContainerLinesKeepTheWritableSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang, state, size string
		absent            string
	}{
		{"en", "(running)", "writable layer +1.23kB", ""},
		{"ko", "(실행 중)", "쓰기 가능한 레이어 +1.23kB", "running"},
	} {
		for _, w := range []int{100, 80} {
			m := testModelIn(t, tc.lang, w, 30)
			var l = m.opts.Lessons[0]
			for _, cand := range m.opts.Lessons {
				for _, st := range cand.Steps {
					if st.Name == "layerlab-box-1" {
						l = cand
					}
				}
			}
			name := m.work.eng.Ctr("layerlab-box-1")
			m.pic.writable[name] = docker.WritableLayer{
				Container: docker.Container{ID: "f68539629404aaaa", Name: name, Image: "busybox:latest", ImageID: "sha256:033a2ee9b678", State: "running"},
				Size:      1234,
				Changes:   []docker.Change{{Kind: docker.Added, Path: "/hello.txt"}},
			}
			width := m.panelWidth()
			got := ansi.Strip(strings.Join(m.containersView(l, width), "\n"))
			for _, want := range []string{name, tc.state, tc.size, "/hello.txt"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s at %d (panel %d): no %q in\n%s", tc.lang, w, width, want, got)
				}
			}
			if tc.absent != "" && strings.Contains(got, tc.absent) {
				t.Errorf("%s at %d: English %q left in\n%s", tc.lang, w, tc.absent, got)
			}
			for _, line := range strings.Split(got, "\n") {
				if ansi.StringWidth(line) > width {
					t.Errorf("%s at %d: a line %d wide: %q", tc.lang, w, ansi.StringWidth(line), line)
				}
			}
		}
	}
}
