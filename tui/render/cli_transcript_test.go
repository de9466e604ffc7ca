package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/go-units"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
)

// recorded is a table the docker CLI printed (docker/dockercli/testdata/cli):
// the whole text, and its rows cut into cells at the header's columns.
func recorded(t *testing.T, name string) (string, [][]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docker", "dockercli", "testdata", "cli", name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	lines = lines[1 : len(lines)-1]
	var starts []int
	for _, m := range regexp.MustCompile(`\S+( \S+)*`).FindAllStringIndex(lines[0], -1) {
		starts = append(starts, m[0])
	}
	var rows [][]string
	for _, l := range lines[1:] {
		var cells []string
		for i, s := range starts {
			end := len(l)
			if i+1 < len(starts) {
				end = min(starts[i+1], len(l))
			}
			cells = append(cells, strings.TrimSpace(l[min(s, len(l)):end]))
		}
		rows = append(rows, cells)
	}
	return strings.Join(lines, "\n"), rows
}

// ago is the time "6 minutes ago" says, before now.
func ago(t *testing.T, now time.Time, s string) time.Time {
	t.Helper()
	s = strings.TrimSuffix(s, " ago")
	switch s {
	case "Less than a second":
		return now
	case "About a minute":
		return now.Add(-70 * time.Second)
	}
	f := strings.Fields(s)
	n, err := strconv.Atoi(f[0])
	if err != nil || len(f) != 2 {
		t.Fatalf("a time the test does not read: %q", s)
	}
	unit := map[string]time.Duration{"second": time.Second, "minute": time.Minute, "hour": time.Hour}[strings.TrimSuffix(f[1], "s")]
	return now.Add(-time.Duration(n) * unit)
}

func size(t *testing.T, s string) int64 {
	t.Helper()
	n, err := units.FromHumanSize(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fullID is an id of which the CLI printed 12 digits (or all of it).
func fullID(s string) string {
	s = strings.TrimPrefix(s, "sha256:")
	return "sha256:" + s + strings.Repeat("0", 64-len(s))
}

// TestTheLinesTablesAreTheCLIs (issue 31, item 14): images (-a, a pattern,
// --no-trunc), ps (--no-trunc) and history (--no-trunc) of the recorded
// lists print exactly what both CLIs printed: the same cells, cut the same
// way, laid out by the same tabwriter.
func TestTheLinesTablesAreTheCLIs(t *testing.T) {
	t.Parallel()
	now := time.Now()
	st := NewPlainStyles()
	_, full := recorded(t, "history-no-trunc.28.2.2")
	for _, cli := range []string{"20.10", "28.2.2"} {
		for _, name := range []string{"images-all", "images-filter", "images-no-trunc", "images-filter-none"} {
			want, rows := recorded(t, name+"."+cli)
			o := dockercli.Output{Table: "images", NoTrunc: strings.HasSuffix(name, "no-trunc")}
			for _, r := range rows {
				o.Images = append(o.Images, docker.Image{Repo: r[0], Tag: r[1], ID: fullID(r[2]), Created: ago(t, now, r[3]), Size: size(t, r[4])})
			}
			if got := CLIOutput(o, &st, now); got != want {
				t.Errorf("%s.%s:\n got %q\nwant %q", name, cli, got, want)
			}
		}
		for _, name := range []string{"ps", "ps-no-trunc"} {
			want, rows := recorded(t, name+"."+cli)
			o := dockercli.Output{Table: "ps", NoTrunc: name == "ps-no-trunc"}
			for _, r := range rows {
				cmd, _ := strconv.Unquote(r[2])
				o.Containers = append(o.Containers, docker.Container{ID: strings.TrimPrefix(fullID(r[0]), "sha256:"), Image: r[1], Command: cmd,
					Created: ago(t, now, r[3]), Status: r[4], Name: r[6]})
			}
			if got := CLIOutput(o, &st, now); got != want {
				t.Errorf("%s.%s:\n got %q\nwant %q", name, cli, got, want)
			}
		}
		for _, name := range []string{"history", "history-no-trunc"} {
			want, rows := recorded(t, name+"."+cli)
			o := dockercli.Output{Table: "history", NoTrunc: name == "history-no-trunc"}
			for i, r := range rows {
				id := r[0]
				if id != "<missing>" {
					id = fullID(full[i][0])
				}
				o.History = append(o.History, docker.HistoryRow{ID: id, Created: ago(t, now, r[1]), CreatedBy: full[i][2], Size: size(t, r[3]), Comment: r[4]})
			}
			if got := CLIOutput(o, &st, now); got != want {
				t.Errorf("%s.%s:\n got %q\nwant %q", name, cli, got, want)
			}
		}
	}
}

// TestVolumeLsIsTheCLIs: the : line's docker volume ls, and the volumes
// step's card, lay the table out as both CLIs did (recorded).
func TestVolumeLsIsTheCLIs(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	for _, cli := range []string{"20.10", "28.2.2"} {
		want, rows := recorded(t, "volume-ls."+cli)
		var vols []docker.Volume
		for _, r := range rows {
			vols = append(vols, docker.Volume{Driver: r[0], Name: r[1]})
		}
		if got := CLIOutput(dockercli.Output{Table: "volumes", Volumes: vols}, &st, time.Now()); got != want {
			t.Errorf("CLI %s, the : line:\n got %q\nwant %q", cli, got, want)
		}
		if got := VolumesTable(vols, 100, &st, ""); got != want {
			t.Errorf("CLI %s, the card:\n got %q\nwant %q", cli, got, want)
		}
	}
}
