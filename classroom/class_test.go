package classroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/lessons/i18n"
	"github.com/layerlab/layerlab/tui"
)

func newKey(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
}

// The class file: learners with their keys, others with the passphrase;
// each wrong line is named by its line and what is wrong with it.
func TestClassFile(t *testing.T) {
	t.Parallel()
	alice, aliceKey := newKey(t)
	other, _ := newKey(t)
	c, err := ParseClass("class.txt", strings.NewReader("# spring class\npassphrase:  red kite \n\nalice "+aliceKey+" alice@laptop\nbob\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Names(); strings.Join(got, ",") != "alice,bob" {
		t.Errorf("names %v", got)
	}
	if !c.KeyFits("alice", alice.PublicKey()) || c.KeyFits("alice", other.PublicKey()) || c.KeyFits("bob", alice.PublicKey()) {
		t.Error("a key is taken for the wrong learner, or alice's is not hers")
	}
	if !c.PassFits("bob", "red kite") || c.PassFits("bob", "red") || c.PassFits("alice", "red kite") || c.PassFits("carol", "red kite") {
		t.Error("the passphrase: for keyless learners on the list only, exactly")
	}
	for _, tc := range []struct{ text, code string }{
		{"Alice\n", "name"},
		{"al ice\n", "key"},
		{"root;rm\n", "name"},
		{"bob\nbob\npassphrase: x\n", "twice"},
		{"# nobody\n", "empty"},
		{"bob\n", "nopass"},
		{"alice ssh-ed25519 AAAAnotakey\n", "key"},
	} {
		_, err := ParseClass("c", strings.NewReader(tc.text))
		var ce *ClassError
		if !errors.As(err, &ce) || ce.Code != tc.code {
			t.Errorf("%q: %v, want code %s", tc.text, err, tc.code)
		}
	}
}

// The instructor's view: who is connected, where, who is stuck and for how
// long, each engine's disk; in both languages.
func TestWatchText(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	st := Status{At: now, Addr: ":2222", Learners: []LearnerStatus{
		{Name: "alice", Sessions: 2, Lesson: "commit", LessonTitle: "docker commit", Step: 3, StepTitle: "Commit it", State: "failed", Since: now.Add(-7 * time.Minute), Engine: true, Disk: 3 << 20},
		{Name: "bob", Sessions: 1, Lesson: "pull", LessonTitle: "docker pull", Step: 1, StepTitle: "Pull busybox", State: "running", Since: now.Add(-10 * time.Second), Engine: true, Disk: 0},
		{Name: "carol", Disk: -1},
	}}
	en := i18n.For("en")
	out := WatchText(&en, st, now)
	for _, want := range []string{"alice", "● 2", "docker commit · 3. Commit it", "! stuck (failed)", "7m0s", "running · 3.15MB", "bob", "docker pull · 1. Pull busybox", "carol", "stopped", "2 of 3 connected · 1 stuck"} {
		if !strings.Contains(out, want) {
			t.Errorf("the view lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "stale") || strings.Contains(out, "has not written") {
		t.Errorf("a fresh status is called stale:\n%s", out)
	}
	if out := WatchText(&en, st, now.Add(time.Minute)); !strings.Contains(out, "has not written its status for 1m0s") {
		t.Errorf("a status a minute old is not called stale:\n%s", out)
	}
	ko := i18n.For("ko")
	out = WatchText(&ko, st, now)
	for _, want := range []string{"학습자", "막힘 (실패)", "2명 접속 (전체 3명) · 1명 막힘"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Korean view lacks %q:\n%s", want, out)
		}
	}
}

// A learner is stuck after StuckAfter on a failed step or an exercise not
// done, never on a step that runs or is done.
func TestStuck(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for _, tc := range []struct {
		state string
		ago   time.Duration
		stuck bool
	}{{"failed", StuckAfter, true}, {"exercise", StuckAfter + time.Minute, true}, {"exercise", time.Minute, false}, {"running", time.Hour, false}, {"done", time.Hour, false}} {
		if got := (LearnerStatus{State: tc.state, Since: now.Add(-tc.ago)}).Stuck(now); got != tc.stuck {
			t.Errorf("%s for %s: stuck %v", tc.state, tc.ago, got)
		}
	}
}

// The server's picture follows what each learner's app says of itself.
func TestSnapshotFollowsTheLearners(t *testing.T) {
	t.Parallel()
	c, _ := ParseClass("c", strings.NewReader("passphrase: p\nalice\nbob\n"))
	s, err := New(Config{Addr: "127.0.0.1:0", StateDir: t.TempDir(), Class: c})
	if err != nil {
		t.Fatal(err)
	}
	s.note("alice", tui.Where{Lesson: "commit", LessonTitle: "docker commit", Step: 2, StepTitle: "Commit", Status: engine.Idle, Exercise: true, Lang: "ko"})
	snap := s.Snapshot()
	if len(snap.Learners) != 2 || snap.Learners[0].Name != "alice" || snap.Learners[0].State != "exercise" || snap.Learners[0].Step != 3 || snap.Learners[1].Lesson != "" {
		t.Errorf("snapshot %+v", snap.Learners)
	}
	since := snap.Learners[0].Since
	s.note("alice", tui.Where{Lesson: "commit", LessonTitle: "docker commit", Step: 2, StepTitle: "Commit", Status: engine.Done, Exercise: true, Lang: "ko"})
	if got := s.Snapshot().Learners[0]; got.State != "done" || !got.Since.Equal(since) {
		t.Errorf("the same step done: %+v (since %v)", got, since)
	}
	if err := s.writeStatus(); err != nil {
		t.Fatal(err)
	}
	read, err := ReadStatus(s.cfg.StateDir)
	if err != nil || len(read.Learners) != 2 || read.Learners[0].State != "done" {
		t.Errorf("status file: %v %+v", err, read)
	}
}
