package classroom

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestTheClassroomRefusesBindMountsAndCountsVolumes: with the classroom's
// limits (Server.limits), on the real daemon: every bind mount an attacker
// would type in the second session (a folder of the host, with options,
// through --mount, a volume made of one) is refused with words, before
// anything is made; the volumes lesson's bind mount step is refused too
// (KindHostMount), with words in both languages that say why and what to
// use instead; a named volume works; one volume over the bound is refused,
// whether from volume create or from a run -v of a new name.
func TestTheClassroomRefusesBindMountsAndCountsVolumes(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := &Server{cfg: Config{MaxContainers: 100, MaxImages: 100, MaxVolumes: 100}}
	cli.SetLimits(s.limits("tstvolumes"))
	defer cli.SetLimits(docker.Limits{})
	learner := cli.AsLearner()
	o := lineOptions{Strings: &i18n.English, Lesson: "volumes", Mirror: reg.Host, NoEscapes: true}
	if out, failed := runLineText(ctx, learner, "docker pull busybox", o); failed {
		t.Fatal(out)
	}
	before := dockertest.ContainerIDs(t, api, false)
	for _, line := range []string{
		"docker run -d -v /:/host busybox", "docker run -d -v /etc:/etc:ro busybox", "docker run -d --volume=/root:/r busybox",
		"docker run -d -v ./x:/x busybox", "docker run -d --mount type=bind,src=/,dst=/h busybox",
		"docker run -d -v /var/run/docker.sock:/var/run/docker.sock busybox",
	} {
		out, failed := runLineText(ctx, learner, line, o)
		if !failed || !strings.Contains(out, "get nothing from the host") {
			t.Errorf("%s: failed %v, %q", line, failed, out)
		}
	}
	out, failed := runLineText(ctx, learner, "docker volume create --opt type=none --opt device=/etc --opt o=bind evil", o)
	if !failed || strings.Contains(out, "evil\n") {
		t.Errorf("a volume made of a host folder: %q", out)
	}
	if made := dockertest.MadeSince(before, dockertest.ContainerIDs(t, api, false)); len(made) > 0 {
		t.Errorf("refused lines made containers %v", made)
	}
	if _, err := api.VolumeInspect(ctx, "evil"); err == nil {
		t.Error("volume create --opt made the volume")
	}

	// The lesson's bind mount step, in the classroom.
	ls, err := lessons.Builtin("en")
	if err != nil {
		t.Fatal(err)
	}
	var l *lessons.Lesson
	for _, x := range ls {
		if x.ID == "volumes" {
			l = x
		}
	}
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	sess := engine.NewSession()
	env := engine.Env{Workspaces: map[string]string{"volumes": ws}}
	for _, st := range l.Steps {
		if _, _, bind := st.VolumeParts(); st.Kind != lessons.KindRun || !bind {
			continue
		}
		ss := sess.Run(ctx, cli, env, l, st, nil)
		if ss.Status != engine.Failed || docker.KindOf(ss.Err) != docker.KindHostMount {
			t.Fatalf("the bind mount step in the classroom: %v %v", ss.Status, ss.Err)
		}
		ko := i18n.For("ko")
		for _, c := range []struct {
			t    *i18n.Strings
			want string
		}{{&i18n.English, "no learner may mount its folders"}, {&ko, "어떤 학습자도 그 폴더를 컨테이너에 마운트"}} {
			x := i18n.Explain(c.t, ss.Err, "", "")
			if !strings.Contains(x.Plain, c.want) || len(x.Todo) == 0 || !strings.Contains(x.Todo[0], "docker volume create") {
				t.Errorf("the refusal's words: %+v", x)
			}
		}
	}

	// A named volume, and the bound on volumes.
	name := "layerlab-test-classvol-" + reg.Nonce
	t.Cleanup(func() { _ = learner.RemoveVolume(context.Background(), name) })
	ctr := "layerlab-test-classbox-" + reg.Nonce
	t.Cleanup(func() { _ = learner.RemoveContainer(context.Background(), ctr) })
	for _, line := range []string{"docker volume create " + name, "docker run -d --name " + ctr + " -v " + name + ":/data busybox sleep 60"} {
		if out, failed := runLineText(ctx, learner, line, o); failed {
			t.Fatalf("%s: %s", line, out)
		}
	}
	if out, _ := runLineText(ctx, learner, "docker volume ls", o); !strings.Contains(out, name) {
		t.Errorf("volume ls: %q", out)
	}
	vols, err := cli.Volumes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.cfg.MaxVolumes = len(vols)
	cli.SetLimits(s.limits("tstvolumes"))
	noun := "volumes" // English says a count of one in the singular
	if len(vols) == 1 {
		noun = "volume"
	}
	want := fmt.Sprintf("Your engine has %d %s, the most you may keep is %d", len(vols), noun, len(vols))
	for _, line := range []string{"docker volume create one-too-many-" + reg.Nonce, "docker run -d -v one-too-many-" + reg.Nonce + ":/d busybox"} {
		out, failed := runLineText(ctx, learner, line, o)
		if !failed || !strings.Contains(out, want) {
			t.Errorf("%s over the bound: failed %v, %q", line, failed, out)
		}
	}
	if _, err := api.VolumeInspect(ctx, "one-too-many-"+reg.Nonce); err == nil {
		t.Error("a volume over the bound was made")
	}
}
