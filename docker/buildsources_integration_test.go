package docker_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/layerlab/layerlab/docker"
)

// TestACopyOfWhatIsNotSentFailsAsFoundBefore: what the check before the
// build says of a COPY source (left out by .dockerignore, outside the
// context) is what the daemon's builder then does, on both builders: the
// build fails, and the failure is read as that source, with its rule and
// line.
func TestACopyOfWhatIsNotSentFailsAsFoundBefore(t *testing.T) {
	cli, base := lessonBase(t)
	withLedger(t, cli)
	for _, c := range []struct {
		name, copy string
		why        docker.MissingWhy
		rule       string
	}{
		{"ignored", "COPY secret.txt /", docker.SourceIgnored, "secret*"},
		{"outside", "COPY ../up.txt /", docker.SourceOutside, ""},
	} {
		for _, buildKit := range []bool{true, false} {
			root := t.TempDir()
			if err := os.WriteFile(filepath.Join(root, "up.txt"), []byte("up"), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(root, "ctx")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, body := range map[string]string{"Dockerfile": "FROM " + base + "\nRUN true\n" + c.copy + "\n", ".dockerignore": "secret*\n", "secret.txt": "s"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := built(t, cli, docker.BuildOptions{ContextDir: dir, Lesson: "test-sources", BuildKit: buildKit})
			ms := res.Progress.Context.Missing
			if len(ms) != 1 || ms[0].Why != c.why || ms[0].Rule != c.rule || ms[0].Line != 3 {
				t.Errorf("%s (BuildKit %v): found before the build: %+v", c.name, buildKit, ms)
			}
			var e *docker.Error
			if !errors.As(err, &e) || e.Kind != docker.KindSourceMissing || e.Missing == nil || e.Missing.Why != c.why || e.Line != 3 || e.File != "Dockerfile" {
				t.Errorf("%s (BuildKit %v): the build's failure is not read as the source: %v %+v", c.name, buildKit, err, e)
			}
		}
	}
}
