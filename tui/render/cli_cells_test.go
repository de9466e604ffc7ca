package render

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/dockercli"
)

// TestPsCutsCommandByCells (issue 31, item 14): COMMAND is cut as the CLI's
// Ellipsis cuts it, at 20 display cells, never inside a UTF-8 sequence; with
// --no-trunc the id and command are whole.
func TestPsCutsCommandByCells(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	ct := docker.Container{ID: strings.Repeat("ab", 32), Name: "box", Image: "busybox", Command: "echo 한글로 된 아주 긴 명령입니다 정말로", Status: "Up"}
	out := CLIOutput(dockercli.Output{Table: "ps", Containers: []docker.Container{ct}}, &st, time.Now())
	if !utf8.ValidString(out) {
		t.Fatalf("cut inside a character: %q", out)
	}
	var cmd string
	for _, f := range strings.Split(strings.Split(out, "\n")[1], "   ") {
		if strings.HasPrefix(strings.TrimSpace(f), `"echo`) {
			cmd = strings.TrimSpace(f)
		}
	}
	if w := ansi.StringWidth(strings.Trim(cmd, `"`)); w != 20 || !strings.HasSuffix(cmd, `…"`) {
		t.Errorf("COMMAND %q is %d cells, want 20 with …", cmd, w)
	}
	full := CLIOutput(dockercli.Output{Table: "ps", Containers: []docker.Container{ct}, NoTrunc: true}, &st, time.Now())
	if !strings.Contains(full, ct.ID) || !strings.Contains(full, ct.Command) {
		t.Errorf("--no-trunc:\n%s", full)
	}
}
