package classroom

import (
	"context"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestASessionWithoutATerminalPrintsPlainText: `ssh … docker rmi nosuch >
// out.txt` has no terminal, and its file gets no escape code; nor does a
// dumb terminal, nor NO_COLOR (set to anything); a terminal gets styles.
func TestASessionWithoutATerminalPrintsPlainText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		terminal bool
		term     string
		env      []string
		plain    bool
	}{
		{false, "", nil, true},
		{false, "xterm-256color", []string{"LANG=C.UTF-8"}, true},
		{true, "dumb", nil, true},
		{true, "xterm", []string{"TERM=dumb"}, true},
		{true, "xterm", []string{"NO_COLOR=1"}, true},
		{true, "xterm", []string{"NO_COLOR="}, false},
		{true, "xterm-256color", []string{"LANG=ko_KR.UTF-8"}, false},
	} {
		if got := plainOutput(c.terminal, c.term, c.env); got != c.plain {
			t.Errorf("terminal %v, TERM %q, env %v: plain %v", c.terminal, c.term, c.env, got)
		}
	}
}

// A second session's refusals never send the learner to "your own
// terminal": it is the only one they have (found by trying volume create
// --opt over ssh, which said "type it in your own terminal").
func TestASessionsRefusalsNameNoOtherTerminal(t *testing.T) {
	t.Parallel()
	for _, lang := range []i18n.Strings{i18n.English, i18n.Korean} {
		st := sessionStrings(lang)
		for _, line := range []string{
			"docker volume create --opt type=none --opt device=/etc --opt o=bind v", "docker volume create -d local v",
			"docker run -d -e A=1 busybox", "docker run -d -v /etc:/h busybox", "docker run -it busybox",
		} {
			// Refused as the line is read: no daemon is asked.
			out, failed := runLineText(context.Background(), nil, line, lineOptions{Strings: &st, NoEscapes: true})
			if !failed || strings.Contains(out, "own terminal") || strings.Contains(out, "내 터미널") {
				t.Errorf("%s: failed %v, %q", line, failed, out)
			}
		}
	}
}
