package lessons

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

const goodLesson = "---\nid: hello\ntitle: Hello\nimage: busybox:latest\n---\n## Hi\n\n```step\npull: busybox\ntitle: Get busybox\n```\n"

func TestPackValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		files fstest.MapFS
		want  string // "" for a valid pack
	}{
		{"good, English only", fstest.MapFS{"en/01.md": {Data: []byte(goodLesson)}}, ""},
		{"good, flat", fstest.MapFS{"01.md": {Data: []byte(goodLesson)}}, ""},
		{"good, both languages", fstest.MapFS{"en/01.md": {Data: []byte(goodLesson)}, "ko/01.md": {Data: []byte(strings.Replace(goodLesson, "Get busybox", "busybox 받기", 1))}}, ""},
		{"bad front matter", fstest.MapFS{"en/01.md": {Data: []byte("---\nid: Hello World\ntitle: x\n---\n")}}, `en/01.md:2:5: id "Hello World": use lowercase letters`},
		{"unknown step kind", fstest.MapFS{"en/01.md": {Data: []byte("---\nid: a\ntitle: b\n---\n```step\nshell: rm -rf /\n```\n")}}, `en/01.md:6:1: unknown step kind "shell"`},
		{"bind mount", fstest.MapFS{"en/01.md": {Data: []byte("---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: c\nvolume: /:/host\n```\n")}}, `en/01.md:8:1: step key "volume" is not allowed: a lesson cannot mount folders of the host`},
		{"privileged", fstest.MapFS{"en/01.md": {Data: []byte("---\nid: a\ntitle: b\n---\n```step\nrun: busybox\nname: c\nprivileged: true\n```\n")}}, `en/01.md:8:1: step key "privileged" is not allowed`},
		{"missing Korean variant", fstest.MapFS{"en/01.md": {Data: []byte(goodLesson)}, "en/02.md": {Data: []byte(strings.Replace(goodLesson, "id: hello", "id: second", 1))},
			"ko/01.md": {Data: []byte(goodLesson)}}, `en/02.md:1:1: lesson "second" has no Korean variant`},
		{"Korean runs other steps", fstest.MapFS{"en/01.md": {Data: []byte(goodLesson)}, "ko/01.md": {Data: []byte(strings.Replace(goodLesson, "pull: busybox", "pull: python", 1))}},
			`ko/01.md:1:1: the Korean variant of "hello" runs other steps`},
		{"empty", fstest.MapFS{"en/README.txt": {Data: []byte("x")}}, "no lessons"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			byLang, err := LoadPack(c.files)
			if c.want == "" {
				if err != nil || len(byLang["en"]) == 0 {
					t.Fatalf("valid pack refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
}

var _ fs.FS = fstest.MapFS{}

func TestExamplePackIsValid(t *testing.T) {
	t.Parallel()
	byLang, err := LoadPack(os.DirFS("../assets/example-pack"))
	if err != nil {
		t.Fatal(err)
	}
	if len(byLang["en"]) != 1 || len(byLang["ko"]) != 1 {
		t.Errorf("%v", byLang)
	}
}

// TestEveryHostAccessKeyIsRefused: each key a pack could use to reach the
// learner's machine (mounts, privileges, host network/PID/IPC, capabilities,
// devices, users, security options, a build context elsewhere) is refused
// with its own reason, in a run step and in a build step.
func TestEveryHostAccessKeyIsRefused(t *testing.T) {
	t.Parallel()
	for key, reason := range forbiddenKeys {
		for _, step := range []string{"run: busybox\nname: c\n", "build: .\ntag: x:1\n"} {
			src := "---\nid: a\ntitle: b\n---\n```step\n" + step + key + ": anything\n```\n"
			_, err := LoadPack(fstest.MapFS{"en/01.md": {Data: []byte(src)}})
			if err == nil || !strings.Contains(err.Error(), `step key "`+key+`" is not allowed: `+reason.Format()) {
				t.Errorf("%s in %q: %v", key, step, err)
			}
		}
	}
}

// TestPackBombsAndBadTextAreRefused: what froze the app or garbled the
// screen is refused by validate (and so at load) with file:line:column:
// quotes and lists nested hundreds deep, megabytes of markdown, a line of
// megabytes, text that is not UTF-8. Code blocks may indent as they like.
func TestPackBombsAndBadTextAreRefused(t *testing.T) {
	t.Parallel()
	head := "---\nid: a\ntitle: b\n---\n"
	quotes := head + strings.Repeat("> ", 300) + "deep\n"
	var list strings.Builder
	list.WriteString(head)
	for i := range 300 {
		list.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	flat := head + strings.Repeat("word word word word word word word word word\n", 250000)
	oneLine := head + strings.Repeat("x", 200<<10) + "\n"
	latin1 := head + "## Caf\xe9\n"
	code := head + "```\n" + strings.Repeat("    ", 30) + "indented code\n```\n"
	for name, c := range map[string]struct{ src, want string }{
		"300 nested quotes":   {quotes, "en/01.md:5:601: quotes and lists nest 300 deep here: at most 8 levels"},
		"a list 300 deep":     {list.String(), "en/01.md:14:19: quotes and lists nest 9 deep here"},
		"10 MB of markdown":   {flat, "en/01.md:1:1: the lesson is 10986 KB: a lesson file may be at most 128 KB"},
		"one line of 200 KB":  {oneLine, "the lesson is 200 KB"},
		"not UTF-8":           {latin1, "en/01.md:5:7: this is not valid UTF-8 text"},
		"a long line, inside": {head + strings.Repeat("y", 5000) + "\n", "en/01.md:5:1: the line is 5000 bytes long"},
		"deep code is fine":   {code, ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadPack(fstest.MapFS{"en/01.md": {Data: []byte(c.src)}})
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
}

// TestALinkedWorkspaceIsRefused: a pack whose workspace folder, a lesson's
// workspace or anything in it is a symbolic link is refused: a build step
// would copy what it reaches (a workspace linked to /etc: the shadow file).
func TestALinkedWorkspaceIsRefused(t *testing.T) {
	t.Parallel()
	for name, mk := range map[string]func(dir string) error{
		"workspace/a -> /etc": func(dir string) error {
			if err := os.MkdirAll(dir+"/workspace", 0o755); err != nil {
				return err
			}
			return os.Symlink("/etc", dir+"/workspace/a")
		},
		"workspace -> /etc": func(dir string) error { return os.Symlink("/etc", dir+"/workspace") },
		"workspace/a/shadow -> /etc/shadow": func(dir string) error {
			if err := os.MkdirAll(dir+"/workspace/a", 0o755); err != nil {
				return err
			}
			return os.Symlink("/etc/shadow", dir+"/workspace/a/shadow")
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(dir+"/en", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dir+"/en/01.md", []byte(goodLesson), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := mk(dir); err != nil {
				t.Fatal(err)
			}
			link, _, _ := strings.Cut(name, " -> ")
			_, err := LoadPack(os.DirFS(dir))
			if err == nil || !strings.Contains(err.Error(), link+":1:1: is a symbolic link") {
				t.Fatalf("want %s refused, got %v", link, err)
			}
		})
	}
	// A plain workspace is fine.
	dir := t.TempDir()
	_ = os.MkdirAll(dir+"/en", 0o755)
	_ = os.MkdirAll(dir+"/workspace/hello", 0o755)
	_ = os.WriteFile(dir+"/en/01.md", []byte(goodLesson), 0o644)
	_ = os.WriteFile(dir+"/workspace/hello/Dockerfile", []byte("FROM busybox\n"), 0o644)
	if _, err := LoadPack(os.DirFS(dir)); err != nil {
		t.Errorf("a plain workspace: %v", err)
	}
}
