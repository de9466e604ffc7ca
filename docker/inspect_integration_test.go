package docker_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestInspectIsWhatTheCLIPrints: inspect of an image and of a container is
// what the docker CLI on this machine prints for them on the same engine,
// byte for byte: the daemon's JSON, every field (empty ones too), in its
// order (issue 31, 14), at the API version layerlab speaks to the engine.
// CLIs that cannot talk to this engine are left out.
func TestInspectIsWhatTheCLIPrints(t *testing.T) {
	cli, api := dockertest.Daemon(t)
	ctx := context.Background()
	reg := dockertest.StartRegistry(t)
	reg.LessonImages(t, api)
	dockertest.PreserveTag(t, api, "busybox:1.36")
	base := "busybox:1.36"
	if _, err := api.ImageInspect(ctx, base); err != nil {
		_, _ = lessonBase(t)
	}
	ctr := run(t, cli, base, uniq("layerlab-test-inspect"))
	eng, err := cli.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, bin := range []string{"/usr/local/bin/docker", "/usr/bin/docker"} {
		if _, err := os.Stat(bin); err != nil {
			continue
		}
		for _, ref := range []string{base, ctr.Name} {
			cmd := exec.Command(bin, "inspect", ref)
			// At the API version layerlab speaks: a daemon sends each
			// version's fields (1.41 has Config.Hostname, 1.44 does not).
			cmd.Env = append(os.Environ(), "DOCKER_HOST="+cli.Endpoint().Host, "DOCKER_API_VERSION="+eng.APIVersion)
			want, err := cmd.Output()
			if err != nil {
				t.Logf("%s inspect %s: %v (this CLI and engine do not talk)", bin, ref, err)
				continue
			}
			got, err := cli.InspectJSON(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
				t.Errorf("inspect %s differs from %s's:\n%s\nthe CLI:\n%s", ref, bin, got, want)
			}
			compared++
		}
	}
	if compared == 0 {
		t.Skip("no docker CLI here talks to this engine")
	}
}
