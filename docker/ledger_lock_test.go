package docker

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestLedgerWriterProcess is one of the windows of
// TestLedgerTwoProcessesKeepEveryRecord (it runs only as that test's child).
func TestLedgerWriterProcess(t *testing.T) {
	t.Parallel()
	path, who := os.Getenv("LAYERLAB_LEDGER_RACE"), os.Getenv("LAYERLAB_LEDGER_WHO")
	if path == "" {
		t.Skip("run by TestLedgerTwoProcessesKeepEveryRecord")
	}
	n, _ := strconv.Atoi(os.Getenv("LAYERLAB_LEDGER_N"))
	l := OpenLedger(path)
	for i := range n {
		if err := l.Add(Record{Host: "h", Tag: fmt.Sprintf("%s:%d", who, i), ImageID: "sha256:x", How: "tag"}); err != nil {
			t.Fatal(err)
		}
	}
}

// Issue 28, 5: two windows on one state folder, 16 tags each, quickly: the
// ledger kept 28 of 32. Every record is kept now, whatever the interleaving.
func TestLedgerTwoProcessesKeepEveryRecord(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "owned.json")
	const each = 40
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for _, who := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestLedgerWriterProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LAYERLAB_LEDGER_RACE="+path, "LAYERLAB_LEDGER_WHO="+who, "LAYERLAB_LEDGER_N="+strconv.Itoa(each))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("%s: %v\n%s", who, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := OpenLedger(path).Records("h", "")
	if len(got) != 3*each {
		t.Errorf("the ledger kept %d of %d records", len(got), 3*each)
	}
}

// Issue 28, 7: a damaged ledger read as empty with no word, and the next
// write replaced it. Now it is set aside (its records kept there), the
// ledger says where, and a new one starts.
func TestDamagedLedgerIsSetAside(t *testing.T) {
	t.Parallel()
	for name, damage := range map[string]func(path string) error{
		"cut short": func(p string) error {
			return os.WriteFile(p, []byte(`[{"host":"h","tag":"keep:1","image_id":"sha256:a"`), 0o600)
		},
		"garbage":   func(p string) error { return os.WriteFile(p, []byte("\x00\x01garbage"), 0o600) },
		"a folder":  func(p string) error { return os.Mkdir(p, 0o700) },
		"a symlink": func(p string) error { return os.Symlink("/etc/passwd", p) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "owned.json")
			if err := damage(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Lstat(path)
			l := OpenLedger(path)
			aside := l.SetAside()
			if aside == "" || !strings.HasPrefix(aside, path+".damaged-") {
				t.Fatalf("not set aside: %q (err %v)", aside, l.Err())
			}
			after, err := os.Lstat(aside)
			if err != nil || after.Mode().Type() != before.Mode().Type() {
				t.Errorf("what was set aside is not the damaged file: %v %v", after, err)
			}
			if err := l.Add(Record{Host: "h", Tag: "new:1", ImageID: "sha256:b"}); err != nil {
				t.Fatal(err)
			}
			if recs := OpenLedger(path).Records("h", ""); len(recs) != 1 {
				t.Errorf("the new ledger: %v", recs)
			}
			if b, err := os.ReadFile("/etc/passwd"); err != nil || strings.Contains(string(b), "new:1") {
				t.Error("the write went through the symlink")
			}
		})
	}
}

// Issue 28, 8: a ledger that cannot be written says so to whoever records.
func TestUnwritableLedgerSaysSo(t *testing.T) {
	t.Parallel()
	l := OpenLedger("/dev/null/owned.json")
	if err := l.AddContainer("h", Record{Name: "x", Op: "op1"}); err == nil {
		t.Error("a record that could not be written reported no error")
	}
}

// Issue 28, 8: with a read-only or full state folder, steps said done and
// the container was never recorded (a quit then left it running). layerlab
// makes nothing it could not record: the call is refused before anything
// is sent to the daemon (this client's daemon does not even exist).
func TestNothingIsMadeThatCannotBeRecorded(t *testing.T) {
	t.Parallel()
	c, err := New(Endpoint{Host: "unix:///nonexistent/layerlab-test.sock"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.UseLedger(OpenLedger("/dev/null/state/owned.json"))
	ctx := context.Background()
	_, err = c.Run(ctx, RunOptions{Image: "busybox", Name: "x", Lesson: "l"})
	if KindOf(err) != KindUnrecorded {
		t.Errorf("run: %v, want refused as unrecorded", err)
	}
	dst, _ := ParseRef("mine:1")
	if _, err := c.Tag(ctx, "busybox", dst, "l"); KindOf(err) != KindUnrecorded {
		t.Errorf("tag: %v, want refused as unrecorded", err)
	}
	// The learner's own commands record nothing: not refused for it.
	if _, err := c.AsLearner().Run(ctx, RunOptions{Image: "busybox", Name: "x"}); KindOf(err) == KindUnrecorded {
		t.Errorf("the learner's own run was refused for layerlab's record: %v", err)
	}
}
