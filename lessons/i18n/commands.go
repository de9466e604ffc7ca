package i18n

import (
	"errors"

	"github.com/layerlab/layerlab/docker/engines"
	"github.com/layerlab/layerlab/lessons"
)

// EngineErrorText words, on one line for the instructor's log, why a
// learner's engine could not be had: an engines.Error by its code, with its
// detail (a path, the end of the engine's log) after; a daemon's error as
// Explain words it.
func EngineErrorText(t *Strings, err error) string {
	var ee *engines.Error
	if !errors.As(err, &ee) {
		x := Explain(t, err, "", "")
		s := x.Title + ": " + x.Plain
		if x.Docker != "" {
			s += " (" + x.Docker + ")"
		}
		return s
	}
	detail := ee.Detail
	if ee.Err != nil {
		detail += ": " + ee.Err.Error()
	}
	switch ee.Code {
	case engines.CodeName:
		return Tr(t.Cmd.EngineNameFmt, ee.Learner)
	case engines.CodeSetup:
		return Tr(t.Cmd.EngineSetupFmt, detail)
	case engines.CodeStart:
		return Tr(t.Cmd.EngineStartFmt, detail)
	}
	return detail
}

// ProgressTroubleText says, in t's language, that a progress file could
// not be read and the learner starts fresh ("" for nil).
func ProgressTroubleText(t *Strings, p *lessons.ProgressTrouble) string {
	if p == nil {
		return ""
	}
	if p.Aside == "" {
		return Tr(t.Cmd.ProgressUnreadableFmt, p.Path, p.Err)
	}
	return Tr(t.Cmd.ProgressAsideFmt, p.Path, p.Err, p.Aside)
}
