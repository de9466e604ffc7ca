package lessons

import (
	"strings"
	"testing"
)

// TestAHandoutSaysWhatToTypeNotWhatToPress: the screen's words stay on the
// screen; a handout gets what to type in their place, in both languages.
func TestAHandoutSaysWhatToTypeNotWhatToPress(t *testing.T) {
	t.Parallel()
	md := "Ask the daemon.<!-- screen --> Run each with `enter`:<!-- /screen --><!-- plain:  Type each: -->\nnext"
	if got := ForScreen(md); got != "Ask the daemon. Run each with `enter`:\nnext" {
		t.Errorf("screen: %q", got)
	}
	if got := ForPlain(md); got != "Ask the daemon. Type each:\nnext" {
		t.Errorf("plain: %q", got)
	}
	for _, lang := range []string{"en", "ko"} {
		ls, err := Builtin(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			for _, p := range l.Parts {
				plain := ForPlain(p.Markdown)
				for _, screenOnly := range []string{"<!--", "Press `enter`", "Run each with `enter`", "Each bar is", "press `tab`", "Press `x`", "Press `e`", "`enter` 를 눌러", "`enter` 로 실행", "오른쪽 패널", "막대 하나가", "`x` 를 누르", "`x` 를 눌러", "`e` 를 눌러"} {
					if strings.Contains(plain, screenOnly) {
						t.Errorf("%s %s: the handout says %q", lang, l.ID, screenOnly)
					}
				}
				if strings.Contains(ForScreen(p.Markdown), "<!-- plain") {
					t.Errorf("%s %s: the screen shows a handout's words", lang, l.ID)
				}
			}
		}
	}
}

// TestANewLessonsHandoutSaysWhatIsLeft: in plain mode, lessons 8 to 11 say
// that `layerlab cleanup` removes what they made, and name the images their
// commit steps made there (lesson 8 left cow-demo:v1 unsaid: found by a
// newcomer), as lessons 3, 5 and 7 do, in both languages.
func TestANewLessonsHandoutSaysWhatIsLeft(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "ko"} {
		ls, err := Builtin(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls[7:] {
			var said []string
			for _, p := range l.Parts {
				for _, para := range strings.Split(ForPlain(p.Markdown), "\n\n") {
					if strings.Contains(para, "layerlab cleanup") {
						said = append(said, para)
					}
				}
			}
			if len(said) == 0 {
				t.Errorf("%s %s: the handout never says layerlab cleanup", lang, l.ID)
				continue
			}
			for _, st := range l.Steps {
				if st.Kind == KindCommit && !strings.Contains(strings.Join(said, "\n"), "`"+st.As+"`") {
					t.Errorf("%s %s: the handout's cleanup does not name %s:\n%s", lang, l.ID, st.As, strings.Join(said, "\n"))
				}
			}
		}
	}
}
