package cli

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
)

// hintPull finds what a sentence tells the learner to pull or run, read
// here on its own (not with LessonImages' reader): the word after
// `docker pull`, or the last word of `docker run -dit --name N IMAGE`.
var hintPull = regexp.MustCompile(`docker (?:pull|run(?: --name \S+| -\S+)*) ([^\s,;()]+)`)

// TestLessonImagesHoldEveryImageALearnerIsToldToGet: in every language,
// every image a step pulls, runs or starts, every image an exercise asks
// for (or builds on), and every image a hint says to pull or run is in the
// list the classroom serves and prepare brings; the images the lessons make
// themselves are not (no registry has them).
func TestLessonImagesHoldEveryImageALearnerIsToldToGet(t *testing.T) {
	t.Parallel()
	var sets [][]*lessons.Lesson
	for _, lang := range []string{"en", "ko"} {
		ls, err := lessons.Builtin(lang)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, ls)
	}
	list := LessonImages(sets...)
	in := func(s string) bool {
		r, err := docker.ParseRef(s)
		return err == nil && slices.Contains(list, r.String())
	}
	made := map[string]bool{}
	named := 0
	for _, ls := range sets {
		for _, l := range ls {
			for _, st := range l.Steps {
				f := strings.Fields(st.Arg)
				switch {
				case st.Kind == lessons.KindCommit || st.Kind == lessons.KindTag:
					made[st.As] = true
				case st.Kind == lessons.KindBuild && st.Tag != "":
					made[st.Tag] = true
				case st.Kind == lessons.KindCheck && (f[0] == "committed" || f[0] == "built" || f[0] == "whiteout"):
					made[f[1]] = true
				}
			}
		}
	}
	for _, ls := range sets {
		for _, l := range ls {
			for _, st := range l.Steps {
				var want []string
				f := strings.Fields(st.Arg)
				switch {
				case st.Kind == lessons.KindPull:
					want = append(want, st.Arg)
				case (st.Kind == lessons.KindRun || st.Kind == lessons.KindStart) && !made[st.Arg]:
					want = append(want, st.Arg)
				case st.Kind == lessons.KindCheck && (f[0] == "image" || f[0] == "container"):
					want = append(want, f[1])
				case st.Kind == lessons.KindCheck && f[0] == "committed":
					want = append(want, f[2])
				}
				for _, h := range strings.Split(st.Hints, "\x1f") {
					for _, m := range hintPull.FindAllStringSubmatch(h, -1) {
						img := strings.TrimPrefix(strings.TrimPrefix(m[1], "MIRROR/"), "library/")
						if _, err := docker.ParseRef(img); err == nil {
							want = append(want, img)
						}
					}
				}
				for _, w := range want {
					named++
					if !in(w) {
						t.Errorf("%s:%d (%s): %s is not in the list %v", l.File, st.Line, st.Kind, w, list)
					}
				}
			}
		}
	}
	if named < 10 {
		t.Fatalf("only %d images named by the lessons: the reading above found nothing", named)
	}
	for m := range made {
		if in(m) {
			t.Errorf("%s is made by a lesson, yet listed to be served: %v", m, list)
		}
	}
	// The pull lesson's exercise, which the classroom registry answered with a 404.
	if !in("busybox:1.36") {
		t.Errorf("busybox:1.36 missing: %v", list)
	}
}

// TestLessonImagesReadEveryLanguageAndHint: an image only one language's
// lesson names is listed; hints name images through flags, through the
// classroom's MIRROR/library/ path, and placeholders are no images.
func TestLessonImagesReadEveryLanguageAndHint(t *testing.T) {
	t.Parallel()
	parse := func(src string) []*lessons.Lesson {
		l, err := lessons.Parse("x.md", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return []*lessons.Lesson{l}
	}
	en := parse("---\nid: x\ntitle: X\n---\n\n```step\npull: alpine:3.19\n```\n\n```step\ncommit: c\nas: mine:v1\n```\n\n```step\nrun: mine:v1\nname: c2\n```\n")
	ko := parse("---\nid: x\ntitle: X\n---\n\n```step\ncheck: image nginx:1.25\nhint: docker pull NAME:TAG\nhint: docker pull MIRROR/library/nginx:1.25, then docker run -dit --name web redis:7\n```\n\n```step\ncheck: committed mine:v2 debian:12\n```\n")
	got := LessonImages(en, ko)
	want := []string{"alpine:3.19", "debian:12", "nginx:1.25", "redis:7"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := LessonImages(en); !slices.Equal(got, []string{"alpine:3.19"}) {
		t.Errorf("English alone: %v", got)
	}
}
