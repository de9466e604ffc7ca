package cli

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestTheCleanupPlanIsAlignedInBothLanguages: the plan's columns line up
// by the cells a terminal draws, a Korean letter taking two, and its kinds
// are words of the learner's language.
func TestTheCleanupPlanIsAlignedInBothLanguages(t *testing.T) {
	t.Parallel()
	plan := docker.CleanupPlan{Items: []docker.CleanupItem{
		{Kind: docker.ItemContainer, Name: "layerlab-box-1", Image: "busybox:latest", How: "run", Lesson: "containers"},
		{Kind: docker.ItemTag, Name: "pyubuntu:init", Size: 4200, How: "build", Lesson: "build"},
		{Kind: docker.ItemImage, Name: "sha256:1234567890ab", Size: 100, How: "commit", Lesson: "commit"},
	}}
	for _, lang := range []string{"en", "ko"} {
		tr := i18n.For(lang)
		out := PlanText(tr, plan)
		var cols []int
		for _, l := range strings.Split(out, "\n") {
			for _, name := range []string{"layerlab-box-1", "pyubuntu:init", "sha256:1234567890ab", strings.Split(tr.CLIHeader, "\t")[1]} {
				if i := strings.Index(l, name); i >= 0 {
					cols = append(cols, ansi.StringWidth(l[:i]))
				}
			}
		}
		if len(cols) != 4 || cols[0] != cols[1] || cols[1] != cols[2] || cols[2] != cols[3] {
			t.Errorf("%s: the NAME column starts at cells %v:\n%s", lang, cols, out)
		}
		if lang == "ko" && (strings.Contains(out, "container ") || !strings.Contains(out, "컨테이너")) {
			t.Errorf("ko: kinds in English:\n%s", out)
		}
	}
}
