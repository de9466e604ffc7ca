package i18n

import (
	"errors"
	"strings"
	"testing"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/docker/engines"
)

// TestAnEngineErrorIsWordedForTheInstructor: the server's log says why a
// learner's engine could not be had in the server's language, the
// technical detail after, not engines.Error's English.
func TestAnEngineErrorIsWordedForTheInstructor(t *testing.T) {
	t.Parallel()
	ko := For(LangKorean)
	start := &engines.Error{Code: engines.CodeStart, Learner: "erin", Detail: "no answer after 1m0s: tail of log"}
	if got := EngineErrorText(&English, start); !strings.HasPrefix(got, "the engine did not come up") || !strings.Contains(got, "no answer after 1m0s: tail of log") {
		t.Errorf("English: %q", got)
	}
	if got := EngineErrorText(&ko, start); !strings.HasPrefix(got, "엔진이 뜨지 않았습니다") || !strings.Contains(got, "tail of log") {
		t.Errorf("Korean: %q", got)
	}
	setup := &engines.Error{Code: engines.CodeSetup, Learner: "erin", Detail: "its Unix user", Err: errors.New("exit status 1")}
	if got := EngineErrorText(&ko, setup); !strings.HasPrefix(got, "이 컴퓨터가 엔진을 준비하지 못했습니다") || !strings.HasSuffix(got, "its Unix user: exit status 1") {
		t.Errorf("Korean setup: %q", got)
	}
	if got := EngineErrorText(&ko, &engines.Error{Code: engines.CodeName, Learner: "Bad Name"}); !strings.Contains(got, `"Bad Name"`) || !containsHangulRune(got) {
		t.Errorf("Korean name: %q", got)
	}
	// A daemon's error (the engine's socket) is Explain's, on one line.
	sock := &docker.Error{Kind: docker.KindSocketMissing, Op: "ping", Host: "unix:///run/layerlab-serve/erin/docker.sock"}
	if got := EngineErrorText(&ko, sock); strings.Contains(got, "\n") || !strings.HasPrefix(got, ko.Err.SocketMissingTitle) {
		t.Errorf("Korean daemon error: %q", got)
	}
	if got := Tr(ko.Cmd.EngineLogFmt, "erin", EngineErrorText(&ko, start)); !strings.HasPrefix(got, "erin: 엔진 없음: 엔진이 뜨지 않았습니다") {
		t.Errorf("the log line: %q", got)
	}
}

func containsHangulRune(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}
