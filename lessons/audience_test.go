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
