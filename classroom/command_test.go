package classroom

import "testing"

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
