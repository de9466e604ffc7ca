package tui

import (
	"errors"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons/engine"
	"github.com/layerlab/layerlab/tui/i18n"
)

// The lesson engine speaks in codes; these word them in the learner's language.

// noteText is why a step did not start, or "".
func noteText(t *i18n.Strings, s *engine.StepState) string {
	switch s.Note {
	case engine.NoteBusy:
		return t.StepBusy
	case engine.NoteNeedsDaemon:
		return t.StepNeedsDaemon
	case engine.NoteFileMissing:
		return tr(t.DF.FileMissingFmt, s.NoteArg)
	case engine.NoteNoDangling:
		return t.RmiNoDangling
	}
	return ""
}

// renamedText says that a step used a name of layerlab's instead of the
// lesson's, which the learner's own has, or "".
func renamedText(t *i18n.Strings, s *engine.StepState) string {
	switch {
	case s.Renamed[0] == "":
		return ""
	case s.RenamedContainer:
		return tr(t.ContainerNameTakenFmt, s.Renamed[0], s.Renamed[1])
	}
	return tr(t.NameTakenFmt, s.Renamed[0], s.Renamed[1])
}

// whyText is what an exercise still misses, or "".
func whyText(t *i18n.Strings, w engine.Why) string {
	e, a := t.Ex, w.Args
	arg := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	switch w.Code {
	case engine.WhyImageMissing:
		return tr(e.ImageMissingFmt, arg(0))
	case engine.WhyStillThere:
		return tr(e.StillThereFmt, arg(0), arg(0))
	case engine.WhyNeverThere:
		return tr(e.NeverThereFmt, arg(0))
	case engine.WhyContainerStopped:
		return tr(e.ContainerStoppedFmt, arg(0), arg(1))
	case engine.WhyContainerMissing:
		return tr(e.ContainerMissingFmt, arg(0))
	case engine.WhyBuiltLessons:
		return tr(e.BuiltLessonsFmt, arg(0), arg(0), arg(1))
	case engine.WhyBuiltMissing:
		return tr(e.BuiltMissingFmt, arg(0), arg(0), arg(1))
	case engine.WhyBuiltDefault:
		return tr(e.BuiltDefaultFmt, arg(0), arg(1), arg(1))
	case engine.WhyBuiltOther:
		return tr(e.BuiltOtherFmt, arg(0), arg(1), arg(2))
	case engine.WhyCommitLessons:
		return tr(e.CommitLessonsFmt, arg(0), arg(0))
	case engine.WhyCommitMissing:
		return tr(e.CommitMissingFmt, arg(0), arg(0))
	case engine.WhySameLayers:
		return tr(e.SameLayersFmt, arg(0), arg(1))
	case engine.WhyNotOnBase:
		return tr(e.NotOnBaseFmt, arg(0), arg(1), arg(1))
	}
	return ""
}

// ruleText is the naming rule a bad image reference breaks.
func ruleText(t *i18n.Strings, de *docker.Error) string {
	e := t.Err
	switch de.Rule {
	case docker.RuleEmpty:
		return e.RuleEmpty
	case docker.RuleSpaces:
		return e.RuleSpaces
	case docker.RuleTagWithoutName:
		return tr(e.RuleTagNoNameFmt, de.Suggest)
	case docker.RuleDigestWithoutName:
		return e.RuleDigestNoName
	case docker.RuleTagFormat:
		return e.RuleTagFormat
	case docker.RuleLowercase:
		return tr(e.RuleLowercaseFmt, de.Suggest)
	case docker.RuleDigestFormat:
		return e.RuleDigestFormat
	case docker.RuleNameTooLong:
		return e.RuleNameTooLong
	}
	return e.RuleOther
}

// editRule is what is wrong with a step value as the learner types it, or "".
func editRule(t *i18n.Strings, err error) string {
	var de *docker.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, engine.ErrEmptyCommand):
		return t.Err.EmptyCommand
	case errors.As(err, &de) && de.Kind == docker.KindBadReference:
		return ruleText(t, de)
	}
	return err.Error()
}
