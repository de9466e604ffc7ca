package classroom

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockertest"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// A learner's saves write onto the classroom machine's disk (their
// workspace), not their engine's: found by trying it, `docker save -o
// s1.tar`, `-o s2.tar`, … of a 100 MB image left 500 MB there, without end.
// The files saved in all their lesson folders are bounded: a save that
// would pass the bound is refused with words and writes nothing (no part
// file either); a save over a file saved before takes its room; the bound
// is the learner's, whichever lesson's folder the save goes to.
func TestTheClassroomBoundsWhatSavesWrite(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:latest")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	learner := cli.AsLearner()
	defer cli.SetLimits(docker.Limits{})
	s := &Server{cfg: Config{StateDir: t.TempDir(), MaxContainers: 100, MaxImages: 100, MaxVolumes: 100}}
	ws := filepath.Join(s.learnerDir("tstsaver"), "workspace")
	o := lineOptions{Strings: &i18n.English, Lesson: "image-files", Workspace: filepath.Join(ws, "image-files"), Mirror: reg.Host, NoEscapes: true}
	for _, dir := range []string{o.Workspace, filepath.Join(ws, "volumes")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	run := func(line string) (string, bool) {
		t.Helper()
		return runLineText(ctx, learner, line, o)
	}
	if out, failed := run("docker pull busybox"); failed {
		t.Fatal(out)
	}
	// One save, unbounded, for its size; then room for two and a half.
	if out, failed := run("docker save -o s1.tar busybox"); failed {
		t.Fatal(out)
	}
	fi, err := os.Stat(filepath.Join(o.Workspace, "s1.tar"))
	if err != nil {
		t.Fatal(err)
	}
	one := fi.Size()
	s.cfg.MaxSaved = one*5/2 + 1
	cli.SetLimits(s.limits("tstsaver"))
	if out, failed := run("docker save -o s2.tar busybox"); failed {
		t.Fatalf("a second save within the bound: %s", out)
	}
	out, failed := run("docker save -o s3.tar busybox")
	if !failed || !strings.Contains(out, "Too much saved: The files you saved in your lesson folders take") {
		t.Errorf("a third save past the bound: failed %v, %q", failed, out)
	}
	entries, _ := os.ReadDir(o.Workspace)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "s1.tar s2.tar" {
		t.Errorf("after the refused save the folder holds %v, not s1.tar s2.tar", names)
	}
	// Over a file saved before: its room is taken again.
	if out, failed := run("docker save -o s1.tar busybox"); failed {
		t.Errorf("a save over s1.tar: %s", out)
	}
	// Another lesson's folder counts for the same learner.
	if err := os.WriteFile(filepath.Join(ws, "volumes", "fill"), make([]byte, one), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, failed := run("docker save -o s1.tar busybox"); !failed || !strings.Contains(out, "nothing was written") {
		t.Errorf("a save with the bound filled from another lesson's folder: failed %v, %q", failed, out)
	}
	// In Korean too, with the sizes.
	o.Strings = &i18n.Korean
	if out, _ := run("docker save -o s4.tar busybox"); !strings.Contains(out, "레슨 폴더에 저장한 파일이 모두") || !strings.Contains(out, i18n.Size(s.cfg.MaxSaved)) {
		t.Errorf("the Korean refusal: %q", out)
	}
}
