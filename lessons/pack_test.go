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
	for key, reason := range forbiddenKeys {
		for _, step := range []string{"run: busybox\nname: c\n", "build: .\ntag: x:1\n"} {
			src := "---\nid: a\ntitle: b\n---\n```step\n" + step + key + ": anything\n```\n"
			_, err := LoadPack(fstest.MapFS{"en/01.md": {Data: []byte(src)}})
			if err == nil || !strings.Contains(err.Error(), `step key "`+key+`" is not allowed: `+reason) {
				t.Errorf("%s in %q: %v", key, step, err)
			}
		}
	}
}
