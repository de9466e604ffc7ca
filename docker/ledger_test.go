package docker

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
)

func TestLedgerPersistsAndMergesTwoProcesses(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "owned.json")
	a, b := OpenLedger(path), OpenLedger(path)
	a.Add(Record{Host: "h", Tag: "x:1", ImageID: "sha256:1", Lesson: "l1", How: "pull", At: time.Unix(1, 0)})
	b.Add(Record{Host: "h", Tag: "y:1", ImageID: "sha256:2", Lesson: "l2", How: "commit"})
	b.Add(Record{Host: "other", Tag: "x:1", ImageID: "sha256:3"})
	c := OpenLedger(path)
	var tags []string
	for _, r := range c.Records("h", "") {
		tags = append(tags, r.Tag)
	}
	if !slices.Equal(tags, []string{"x:1", "y:1"}) {
		t.Fatalf("records %v: a session and a cleanup must not drop each other's", tags)
	}
	if got := c.Records("h", "l2"); len(got) != 1 || got[0].Tag != "y:1" {
		t.Errorf("by lesson: %+v", got)
	}
	if r, ok := c.Lookup("other", "x:1"); !ok || r.ImageID != "sha256:3" {
		t.Errorf("hosts are kept apart: %+v", r)
	}
	a.Add(Record{Host: "h", Tag: "x:1", ImageID: "sha256:9"})
	if r, _ := OpenLedger(path).Lookup("h", "x:1"); r.ImageID != "sha256:9" {
		t.Errorf("re-adding a tag replaces it: %+v", r)
	}
	a.Remove("h", "x:1")
	if _, ok := OpenLedger(path).Lookup("h", "x:1"); ok {
		t.Error("removed tag still recorded")
	}
}

func TestLedgerUnreadableIsEmptyAndReported(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "owned.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := OpenLedger(path)
	if l.SetAside() == "" {
		t.Error("a broken ledger is not reported (set aside)")
	}
	if len(l.Records("h", "")) != 0 {
		t.Error("a broken ledger must own nothing")
	}
	mem := OpenLedger("")
	mem.Add(Record{Host: "h", Tag: "a:b"})
	if _, ok := mem.Lookup("h", "a:b"); !ok || mem.Err() != nil {
		t.Error("in-memory ledger")
	}
}

func TestChainIDs(t *testing.T) {
	t.Parallel()
	// The first chain id is the diff id; the next hashes "parent child".
	a := "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
	b := "sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"
	got := ChainIDs([]string{a, b})
	if got[0] != a || got[1] == b || len(got) != 2 {
		t.Fatalf("%v", got)
	}
	if ChainIDs([]string{a, b})[1] != got[1] {
		t.Error("not deterministic")
	}
}

func TestOwnershipRemovable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		o      Ownership
		target string
		byID   bool
		want   bool
	}{
		{Ownership{Ours: []string{"a:1"}}, "a:1", false, true},
		{Ownership{Ours: []string{"a:1"}, Theirs: []string{"b:1"}}, "b:1", false, false},
		{Ownership{Ours: []string{"a:1"}, Theirs: []string{"b:1"}}, "sha256:1", true, false},
		{Ownership{Made: true}, "sha256:1", true, true},
		{Ownership{}, "sha256:1", true, false},
		{Ownership{Made: true, Theirs: []string{"b:1"}}, "b:1", false, false},
	}
	for i, c := range cases {
		if got := c.o.Removable(c.target, c.byID); got != c.want {
			t.Errorf("%d: %+v %s: %v", i, c.o, c.target, got)
		}
	}
	if !LooksLikeID("9ed39be772c1") || LooksLikeID("busybox") || LooksLikeID("abc") || !LooksLikeID("sha256:9ed3") {
		t.Error("LooksLikeID")
	}
}

// TestLedgerKnowsImagesAndContainersByID: images and containers are
// layerlab's by the ids recorded, nothing else; a pending container (its
// create's answer lost) is replaced by its settled record; records written
// before kinds existed ("@step:" tags) read as build steps' images.
func TestLedgerKnowsImagesAndContainersByID(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "owned.json")
	old := `[{"host":"h","tag":"@step:0123456789ab","image_id":"0123456789ab","lesson":"build","how":"build step","at":"2026-01-01T00:00:00Z"},
{"host":"h","tag":"x:1","image_id":"sha256:9","how":"pull","at":"2026-01-01T00:00:00Z"}]`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	l := OpenLedger(path)
	if rec, ok := l.Image("h", "sha256:0123456789abcdef"); !ok || rec.How != "build step" || rec.Lesson != "build" {
		t.Errorf("an old build step record: %+v %v", rec, ok)
	}
	if got := l.Records("h", ""); len(got) != 1 || got[0].Tag != "x:1" {
		t.Errorf("tags: %+v", got)
	}
	l.AddImage("h", "sha256:aaaaaaaaaaaa1111", "commit", "commit")
	if !l.HasImage("h", "sha256:aaaaaaaaaaaa1111") || l.HasImage("h", "sha256:bbbbbbbbbbbb") || l.HasImage("other", "sha256:aaaaaaaaaaaa1111") {
		t.Error("images are known by id and host")
	}
	l.AddContainer("h", Record{Name: "box", Op: "op1", Lesson: "commit"})
	l.AddContainer("h", Record{ContainerID: "c1", Name: "box", Op: "op1", Lesson: "commit"})
	if got := l.Containers("h", ""); len(got) != 1 || got[0].ContainerID != "c1" {
		t.Errorf("the pending record is replaced by the settled one: %+v", got)
	}
	if _, ok := l.Container("h", "c2"); ok {
		t.Error("an unrecorded container is not layerlab's")
	}
	// Another process reads what this one wrote, and the file is private.
	again := OpenLedger(path)
	if _, ok := again.Container("h", "c1"); !ok || !again.HasImage("h", "aaaaaaaaaaaa") {
		t.Error("records do not survive a restart")
	}
	again.RemoveContainer("h", "c1", "")
	if _, ok := l.Container("h", "c1"); ok {
		t.Error("a removal by another process is not seen")
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("ledger file mode %v %v", fi.Mode(), err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestAdoptTakesOnlyWhatIsNamed: an unrecorded thing is removed only when the
// learner names it exactly (its name, id, an id prefix of 12 digits or more,
// or one of its tags); a short prefix or an unknown name takes nothing.
func TestAdoptTakesOnlyWhatIsNamed(t *testing.T) {
	t.Parallel()
	p := CleanupPlan{Unrecorded: []CleanupItem{
		{Kind: ItemContainer, Name: "learner-app", ID: "c0ffee00000000000000", Unrecorded: true},
		{Kind: ItemImage, Name: "57c82585b7ec", ID: "sha256:57c82585b7ec1111", OtherTags: []string{"learner-img:1"}, Unrecorded: true},
		{Kind: ItemImage, Name: "b9cdbf735714", ID: "sha256:b9cdbf7357142222", Unrecorded: true},
	}}
	got, missing := p.Adopt([]string{"learner-img:1", "b9cd", "nobody"})
	if len(got.Items) != 1 || got.Items[0].Name != "57c82585b7ec" || len(got.Unrecorded) != 2 {
		t.Errorf("adopted %+v, left %+v", got.Items, got.Unrecorded)
	}
	if len(missing) != 2 || missing[0] != "b9cd" || missing[1] != "nobody" {
		t.Errorf("missing %v", missing)
	}
	got, missing = p.Adopt([]string{"learner-app", "sha256:b9cdbf735714"})
	if len(got.Items) != 2 || len(missing) != 0 || len(p.Unrecorded) != 3 {
		t.Errorf("adopted %+v, missing %v (the plan itself must not change)", got.Items, missing)
	}
}

// TestAStoppedContainerIsNotAConflict: the daemon answers an exec in a
// stopped container with a 409 conflict; it is explained as a container
// that stopped (KindNotRunning), not as something still in use.
func TestAStoppedContainerIsNotAConflict(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("Error response from daemon: %w: Container 3f2a1b is not running", cerrdefs.ErrConflict)
	if !cerrdefs.IsConflict(err) {
		t.Fatal("the test error is not a conflict")
	}
	if k := KindOf(classifyMessage(err, "exec in layerlab-box-1")); k != KindNotRunning {
		t.Errorf("kind %v, want not running", k)
	}
	refused := fmt.Errorf("%w: unable to remove repository reference \"x\" (must force) - container 3f2a1b is using its referenced image 0c57", cerrdefs.ErrConflict)
	if k := KindOf(classifyMessage(refused, "remove image x")); k != KindConflict {
		t.Errorf("an image in use: kind %v, want conflict", k)
	}
}

// Issue 31, 6: setting a tag again on the image it already names (a pull
// in a later lesson that found it up to date) leaves the record with the
// lesson that made it; a tag moved to another image is the new lesson's.
func TestARecordStaysWithTheLessonThatMadeIt(t *testing.T) {
	t.Parallel()
	l := OpenLedger(filepath.Join(t.TempDir(), "owned.json"))
	l.Add(Record{Host: "h", Tag: "busybox:latest", ImageID: "sha256:aaaa11112222", Lesson: "pull", How: "pull"})
	l.Add(Record{Host: "h", Tag: "busybox:latest", ImageID: "sha256:aaaa11112222", Lesson: "rmi", How: "pull"})
	if got := l.Records("h", "rmi"); len(got) != 0 {
		t.Errorf("the later lesson took the record: %+v", got)
	}
	if got := l.Records("h", "pull"); len(got) != 1 {
		t.Errorf("the lesson that pulled it lost it: %+v", got)
	}
	l.Add(Record{Host: "h", Tag: "busybox:latest", ImageID: "sha256:bbbb11112222", Lesson: "rmi", How: "pull"})
	if r, _ := l.Lookup("h", "busybox:latest"); r.Lesson != "rmi" || r.ImageID != "sha256:bbbb11112222" {
		t.Errorf("a tag moved to another image: %+v", r)
	}
}
