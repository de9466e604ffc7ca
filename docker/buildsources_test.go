package docker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestMissingSourcesAreFoundBeforeTheBuild: before anything is sent, each
// COPY or ADD source the build will not find is named with why: the
// .dockerignore rule that leaves it out, a path that climbs out of the
// context (Docker looks for it inside), or nothing there at all.
func TestMissingSourcesAreFoundBeforeTheBuild(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"Dockerfile": "FROM busybox\nCOPY secret.txt /\nCOPY notes.tmp hello.txt /\nCOPY ../up.txt /\nCOPY nothere /\n" +
			"COPY --from=build /a /b\nCOPY *.md /docs/\nADD https://example.com/x /x\nCOPY $NAME /\nCOPY app /app\nCOPY secret-ok.txt ap? /\nCOPY logs /logs\n",
		".dockerignore": "# what is not sent\n*.tmp\nsecret*\n!secret-ok.txt\nlogs/\n",
		"secret.txt":    "s", "secret-ok.txt": "ok", "notes.tmp": "n", "hello.txt": "h", "app/main.sh": "m",
		"logs/today.log": "l",
	})
	bc, _, _, err := PrepareContext(BuildOptions{ContextDir: dir, BuildKit: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range bc.Missing {
		got = append(got, fmt.Sprintf("%d %s %s %d %s", m.Line, m.Source, m.Path, m.Why, m.Rule))
	}
	want := []string{
		fmt.Sprintf("2 secret.txt /secret.txt %d secret*", SourceIgnored),
		fmt.Sprintf("3 notes.tmp /notes.tmp %d *.tmp", SourceIgnored),
		fmt.Sprintf("4 ../up.txt /up.txt %d ", SourceOutside),
		fmt.Sprintf("5 nothere /nothere %d ", SourceAbsent),
		fmt.Sprintf("7 *.md /*.md %d ", SourceAbsent),
		fmt.Sprintf("12 logs /logs %d logs", SourceIgnored), // as .dockerignore reads "logs/"
	}
	if !slices.Equal(got, want) {
		t.Errorf("missing:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// After the build, BuildKit's and the classic builder's words lead to
	// the same finding.
	for _, detail := range []string{
		`failed to solve: failed to compute cache key: failed to calculate checksum of ref 4f1c::x: "/secret.txt": not found`,
		`COPY failed: file not found in build context or excluded by .dockerignore: stat secret.txt: file does not exist`,
		`failed to compute cache key: "/secret.txt" not found: not found`, // BuildKit in Docker 20.10
	} {
		p := BuildProgress{BuildKit: true, Context: bc}
		var e *Error
		if !errors.As(placeStep(&Error{Kind: KindNotFound, Detail: detail}, p), &e) || e.Kind != KindSourceMissing ||
			e.Missing == nil || e.Missing.Rule != "secret*" || e.Line != 2 || e.File != "Dockerfile" {
			t.Errorf("%s: %+v %+v", detail, e, e.Missing)
		}
	}
}

// TestATooBigContextIsMeasuredWhole: a context over the limit is refused
// with its whole size and count, not what was counted when the limit was
// passed.
func TestATooBigContextIsMeasuredWhole(t *testing.T) {
	t.Parallel()
	files := map[string]string{"Dockerfile": "FROM busybox\n"}
	for i := range 6 {
		files[fmt.Sprintf("big%d.bin", i)] = strings.Repeat("x", 1000)
	}
	dir := writeTree(t, files)
	_, _, _, err := PrepareContext(BuildOptions{ContextDir: dir, MaxContext: 2500})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindContextTooBig || e.Size != 6013 || e.Limit != 2500 || e.Detail != "" {
		t.Errorf("%+v", e)
	}
}
