package render

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestShrinkCardsShowWhatTheLessonSays: the shrink lesson's new cards at
// the widths of an 80- and a 100-column screen and a plain log, in both
// languages: docker history with the dd entry's 10.5MB and the rm entry's
// 0B (nothing hidden: narrow, its other columns follow by IMAGE), docker
// images REPO with only that repository's rows, side by side, and the
// append card with the line it added; no line wider than the card.
func TestShrinkCardsShowWhatTheLessonSays(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	var l *lessons.Lesson
	for _, x := range ls {
		if x.ID == "shrink" {
			l = x
		}
	}
	find := func(k lessons.Kind) *lessons.Step {
		for _, st := range l.Steps {
			if st.Kind == k {
				return st
			}
		}
		t.Fatalf("no %s step", k)
		return nil
	}
	hist := []docker.HistoryRow{
		{ID: "sha256:" + strings.Repeat("ab", 32), Created: now.Add(-time.Minute), CreatedBy: "RUN /bin/sh -c rm /big # buildkit", Size: 0, Comment: "buildkit.dockerfile.v0"},
		{ID: "<missing>", Created: now.Add(-time.Minute), CreatedBy: "RUN /bin/sh -c dd if=/dev/urandom of=/big bs=1024 count=10240 # buildkit", Size: 10485760, Comment: "buildkit.dockerfile.v0"},
		{ID: "<missing>", Created: now.Add(-time.Hour), CreatedBy: "/bin/sh -c #(nop) COPY file:73e2b2d48642b21b357384b0cb81 in /bin/busybox", Size: 1983488},
	}
	images := []docker.Image{
		{ID: "sha256:" + strings.Repeat("11", 32), Repo: "shrink", Tag: "multi-stage", Size: 1985556, Created: now},
		{ID: "sha256:" + strings.Repeat("22", 32), Repo: "busybox", Tag: "latest", Size: 1985517, Created: now},
		{ID: "sha256:" + strings.Repeat("33", 32), Repo: "shrink", Tag: "later-rm", Size: 12471277, Created: now},
	}
	s := engine.NewSession()
	hs, is, as := find(lessons.KindHistory), find(lessons.KindImages), find(lessons.KindAppend)
	s.Steps[engine.StepKey{Lesson: l.ID, Index: hs.Index}] = &engine.StepState{Status: engine.Done, History: hist}
	s.Steps[engine.StepKey{Lesson: l.ID, Index: is.Index}] = &engine.StepState{Status: engine.Done, Table: &engine.TableShot{Images: images}}
	s.Steps[engine.StepKey{Lesson: l.ID, Index: as.Index}] = &engine.StepState{Status: engine.Done,
		Appended: &engine.Appended{File: "cache/app.sh", Line: "# changed Mon Dec  7 11:00:00 UTC 2026", Lines: 2, Size: 65}}
	for _, tr := range []i18n.Strings{i18n.English, i18n.Languages["ko"]} {
		for _, width := range []int{50, 74, 160} {
			st := NewPlainStyles()
			p := Painter{T: &tr, St: &st, Now: func() time.Time { return now }}
			card := func(step *lessons.Step) string {
				out := p.Card(Card{Lesson: l, Step: step, State: s.Steps[engine.StepKey{Lesson: l.ID, Index: step.Index}], Names: s}, width)
				for _, line := range strings.Split(out, "\n") {
					if w := ansi.StringWidth(line); w > width {
						t.Errorf("%d: a line of %d cells: %q", width, w, line)
					}
				}
				return strings.Join(strings.Fields(ansi.Strip(out)), " ")
			}
			h := card(hs)
			for _, want := range []string{"docker history shrink:later-rm", "10.5MB", "0B", "IMAGE", "SIZE", "buildkit.dockerfile.v0"} {
				if !strings.Contains(h, want) {
					t.Errorf("%d: the history card has no %q:\n%s", width, want, h)
				}
			}
			im := card(is)
			if !strings.Contains(im, "docker images shrink") || !strings.Contains(im, "12.5MB") || !strings.Contains(im, "1.99MB") || strings.Contains(im, "busybox") {
				t.Errorf("%d: the images card is not docker images shrink:\n%s", width, im)
			}
			ap := card(as)
			if !strings.Contains(ap, `echo "# changed $(date)" >> cache/app.sh`) || !strings.Contains(ap, "# changed") || !strings.Contains(ap, "2026»") || !strings.Contains(ap, "cache/app.sh") {
				t.Errorf("%d: the append card:\n%s", width, ap)
			}
		}
	}
}
