package render

import (
	"testing"

	"github.com/layerlab/layerlab/lessons/i18n"
)

// TestOfflineHintsUseTheMirror: a hint for a classroom without internet
// names the mirror layerlab was started with, or says what goes there.
func TestOfflineHintsUseTheMirror(t *testing.T) {
	t.Parallel()
	st := NewPlainStyles()
	p := Painter{T: &i18n.English, St: &st}
	hint := "docker pull MIRROR/library/busybox:1.36"
	if got := p.withMirror(hint); got != "docker pull HOST:PORT/library/busybox:1.36" {
		t.Errorf("no mirror: %q", got)
	}
	p.Mirror = "10.0.0.5:5000"
	if got := p.withMirror(hint); got != "docker pull 10.0.0.5:5000/library/busybox:1.36" {
		t.Errorf("with a mirror: %q", got)
	}
}
