package classroom

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestALineForAFileHoldsNoEscapeCode: what runLineText returns for a session
// without a terminal (NoEscapes) holds no escape code at all; with one, the
// same words come bold.
func TestALineForAFileHoldsNoEscapeCode(t *testing.T) {
	t.Parallel()
	for _, line := range []string{"docker run --privileged -d busybox", "docker frobnicate", "docker ps -z"} {
		o := lineOptions{Strings: &i18n.English, Lesson: "cmdline"}
		styled, failed := runLineText(context.Background(), nil, line, o)
		if !failed {
			t.Fatalf("%q did not fail", line)
		}
		o.NoEscapes = true
		plain, _ := runLineText(context.Background(), nil, line, o)
		if strings.ContainsRune(plain, '\x1b') {
			t.Errorf("%q: escape codes in %q", line, plain)
		}
		if line == "docker run --privileged -d busybox" && (!strings.Contains(styled, "\x1b[") || !strings.Contains(plain, "✗ docker run --privileged")) {
			t.Errorf("%q: styled %q, plain %q", line, styled, plain)
		}
	}
}

// TestAClassroomLineRefusesAnotherRegistry: with the classroom's mirror, a
// pull of another registry is refused in the learner's language before the
// client is used (there is none here).
func TestAClassroomLineRefusesAnotherRegistry(t *testing.T) {
	t.Parallel()
	ko := i18n.For("ko")
	for _, c := range []struct {
		t    *i18n.Strings
		want string
	}{{&i18n.English, "images come only from the classroom's registry here, not from 127.0.0.1:5556"}, {&ko, "교실의 레지스트리에서만"}} {
		out, failed := runLineText(context.Background(), nil, "docker pull 127.0.0.1:5556/library/ubuntu:16.04",
			lineOptions{Strings: c.t, Mirror: "127.0.0.1:5555", Lesson: "cmdline", NoEscapes: true})
		if !failed || !strings.Contains(out, c.want) {
			t.Errorf("%q (failed %v)", out, failed)
		}
	}
}

// TestTheLineCountsContainersAsTheClientDoes: on the real daemon, a client
// bounded at the containers its engine has (two of them started by the
// line) refuses the next `run` through the line (the app's : line and
// the classroom's second session), worded with the counts in the learner's
// language, and nothing is started.
func TestTheLineCountsContainersAsTheClientDoes(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := lineOptions{Strings: &i18n.English, Lesson: "test-limit", Mirror: reg.Host, NoEscapes: true}
	if out, failed := runLineText(ctx, cli, "docker pull busybox", o); failed {
		t.Fatal(out)
	}
	for i := range 2 {
		name := fmt.Sprintf("layerlab-test-limit-%d-%s", i, reg.Nonce)
		t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), name) })
		if out, failed := runLineText(ctx, cli, "docker run -d --name "+name+" busybox", o); failed {
			t.Fatal(out)
		}
	}
	list, err := api.ContainerList(ctx, container.ListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	n := len(list)
	cli.SetLimits(docker.Limits{Containers: n})
	defer cli.SetLimits(docker.Limits{})
	third := "layerlab-test-limit-3-" + reg.Nonce
	t.Cleanup(func() { _ = cli.RemoveContainer(context.Background(), third) })
	out, failed := runLineText(ctx, cli, "docker run -d --name "+third+" busybox", o)
	want := fmt.Sprintf("You have %d containers, the most one learner may keep here (%d)", n, n)
	if !failed || !strings.Contains(out, want) {
		t.Errorf("third run: failed %v, %q", failed, out)
	}
	ko := i18n.For("ko")
	o.Strings = &ko
	out, _ = runLineText(ctx, cli.AsLearner(), "docker run -d busybox", o)
	if !strings.Contains(out, fmt.Sprintf("컨테이너가 %d개로", n)) {
		t.Errorf("Korean, the learner's client: %q", out)
	}
	if _, err := api.ContainerInspect(ctx, third); err == nil {
		t.Errorf("the refused run started %s", third)
	}
}
