package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/layerlab/layerlab/docker"
)

// TestFirstLessonScreensGolden: the first lesson as a learner meets it, at
// 80x24 and at the README's 100x30, in both languages: its docker images
// and docker ps -a cards (IMAGE ID and SIZE, STATUS and NAMES kept), its
// numbered list reflowed, and the help over it, whole.
func TestFirstLessonScreensGolden(t *testing.T) {
	t.Parallel()
	imgs := []docker.Image{
		{ID: "sha256:b10cefd55dc1aaaa", Repo: "127.0.0.1:5555/library/python", Tag: "3.6.0-slim", Size: 200 << 20, Created: fixedNow.Add(-time.Hour)},
		{ID: "sha256:033a2ee9b678aaaa", Repo: "busybox", Tag: "latest", Size: 1990000, Created: fixedNow.Add(-time.Minute)},
	}
	ctrs := []docker.Container{{ID: "7a1b2c3d4e5f60000", Name: "my-shell", Image: "busybox:latest", Command: "sh -c 'echo hi > /hello.txt'", Status: "Exited (0) 2 minutes ago", Created: fixedNow.Add(-3 * time.Minute)}}
	snap := snapshotMsg{images: imgs, containers: ctrs, diffIDs: map[string][]string{imgs[1].ID: {"sha256:d5cf7e0c7dad9995"}}}
	for _, lang := range []string{"en", "ko"} {
		for _, size := range [][2]int{{80, 24}, {100, 30}} {
			t.Run(lang+"_"+sizeName(size), func(t *testing.T) {
				m := testModelIn(t, lang, size[0], size[1])
				m = update1(m, connectedMsg{engine: testEngine})
				m = lessonAt(t, m, "images-containers")
				m = update1(m, snap)
				var b strings.Builder
				shot := func(name string, m Model) { b.WriteString("=== " + name + "\n" + viewText(m) + "\n") }
				m = answer(update1(m, press("enter")), snap)
				shot("docker images", m)
				m = answer(update1(update1(m, press("n")), press("enter")), snap)
				shot("docker ps -a", m)
				for range 2 {
					m = update1(m, tea.KeyPressMsg{Code: tea.KeyPgDown})
				}
				shot("the list", m)
				shot("help", update1(m, press("?")))
				golden(t, b.String())
			})
		}
	}
}
