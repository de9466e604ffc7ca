package render

import (
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestOnlyALessonsMissingContainerIsStartedByAStep: a missing container a
// lesson's run step starts is sent to that step; the learner's own is not.
func TestOnlyALessonsMissingContainerIsStartedByAStep(t *testing.T) {
	t.Parallel()
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	st := NewPlainStyles()
	gone := func(name string) error {
		return &docker.Error{Kind: docker.KindNotFound, Op: "exec " + name, Container: name, Detail: "No such container: " + name}
	}
	for _, c := range []struct {
		name   string
		lesson bool
	}{{"layerlab-box-1", true}, {"layerlab-box-1-2", true}, {"mybox", false}, {"layerlab-box-1x", false}} {
		got := CommandError(&i18n.English, &st, gone(c.name), c.name, "", ls)
		if strings.Contains(got, "run the step that starts it") != c.lesson || !strings.Contains(got, c.name) {
			t.Errorf("%s: %q", c.name, got)
		}
		if !c.lesson && !strings.Contains(got, "There is no container "+c.name+" on your engine") {
			t.Errorf("%s: %q", c.name, got)
		}
	}
	ko := i18n.For("ko")
	if got := CommandError(&ko, &st, gone("mybox"), "mybox", "", ls); !strings.Contains(got, "내 엔진에 컨테이너 mybox") {
		t.Errorf("Korean: %q", got)
	}
}
