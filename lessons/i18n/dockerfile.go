package i18n

import (
	"regexp"
	"strings"

	"github.com/layerlab/layerlab/docker/dockerfile"
)

// DockerfileNote is one finding of the Dockerfile analyzer, with its mark
// and place: the editor's pane and layerlab explain say it so.
func DockerfileNote(t *Strings, n dockerfile.Note) string {
	d := t.DF
	var s string
	switch n.Kind {
	case dockerfile.NoteSyntax:
		s = d.Syntax + ": " + n.Detail
	case dockerfile.NoteUnknownInstruction:
		word := strings.Fields(strings.TrimPrefix(n.Detail, "unknown instruction: "))
		w := "?"
		if len(word) > 0 {
			w = word[0]
		}
		s = Tr(d.UnknownFmt, w)
		if n.Suggest != "" {
			s += ": " + Tr(d.DidYouMeanFmt, n.Suggest)
		}
	case dockerfile.NoteBadArguments:
		s = badArguments(d, n.Detail)
	case dockerfile.NoteNoFrom:
		s = d.NoFrom
	case dockerfile.NoteEmpty:
		s = d.Empty
	case dockerfile.NoteOverriddenCmd:
		s = Tr(d.Overridden, n.Other)
	case dockerfile.NoteLowercase:
		s = Tr(d.LowercaseFmt, n.Detail, n.Suggest)
	case dockerfile.NoteCmdInstalls:
		s = d.CmdInstall
	case dockerfile.NoteRunStartsApp:
		s = d.RunStartsApp
	case dockerfile.NoteUnknownVariable:
		s = Tr(d.UnknownVarFmt, n.Detail)
	case dockerfile.NoteParserWarning:
		s = d.ParserWarning + ": " + n.Detail
	case dockerfile.NoteInlineComment:
		s = d.InlineComment
	case dockerfile.NoteFromNotAnImage:
		s = Tr(d.FromNotAnImageFmt, n.Detail)
	case dockerfile.NoteNotJSON:
		s = Tr(d.NotJSONFmt, n.Detail)
	case dockerfile.NoteRunCd:
		s = Tr(d.RunCdFmt, n.Other)
	case dockerfile.NoteQuotedVar:
		s = Tr(d.QuotedVarFmt, n.Detail, n.Detail)
	case dockerfile.NoteBrokenJSON:
		s = Tr(d.BrokenJSONFmt, n.Detail)
	case dockerfile.NoteWorkdirJoined:
		s = Tr(d.State.WorkdirJoinedFmt, n.Detail)
		if n.Suggest == "" {
			s = Tr(d.State.WorkdirBaseFmt, n.Detail)
		}
	case dockerfile.NoteVarOtherStage:
		s = Tr(d.State.VarOtherStageFmt, n.Detail, n.Other, n.Detail)
	case dockerfile.NoteGlobalArg:
		s = Tr(d.State.GlobalArgFmt, n.Detail, n.Other, n.Detail)
	case dockerfile.NoteRunExport:
		s = Tr(d.State.RunExportFmt, n.Detail, n.Detail)
		if n.Other > 0 {
			s = Tr(d.State.RunExportUsedFmt, n.Detail, n.Other, n.Detail)
		}
	case dockerfile.NoteOutsideContext:
		s = Tr(d.State.OutsideContextFmt, n.Detail, n.Suggest)
		if strings.HasPrefix(n.Detail, "/") {
			s = Tr(d.State.AbsoluteSourceFmt, n.Detail, n.Suggest)
		}
	case dockerfile.NoteUserNotRoot:
		s = Tr(d.State.UserNotRootFmt, n.Detail, n.Other, n.Suggest)
		if strings.HasPrefix(n.Suggest, "/") {
			s = Tr(d.State.UserNotRootPathFmt, n.Detail, n.Other, n.Suggest)
		}
	case dockerfile.NoteEntrypointShell:
		s = d.EntrypointShell
		if n.Other > 0 {
			s = Tr(d.EntrypointShellFmt, n.Other)
		}
	}
	mark := map[dockerfile.Severity]string{dockerfile.SeverityError: "✗ ", dockerfile.SeverityWarning: "! ", dockerfile.SeverityTip: "· "}[n.Kind.Severity()]
	return mark + Tr(d.NoteAtFmt, n.Line, n.Col) + " " + s
}

// badArguments words the parser's refusal of an instruction's arguments
// (buildkit's errAtLeastOneArgument, errExactlyOneArgument,
// errNoDestinationArgument, errTooManyArguments); any other of its words
// is said as the parser's.
func badArguments(d DockerfileStrings, detail string) string {
	for _, r := range []struct {
		re  *regexp.Regexp
		fmt string
	}{
		{regexp.MustCompile(`^(\w+) requires exactly one argument$`), d.ArgsOneFmt},
		{regexp.MustCompile(`^(\w+) requires at least one argument$`), d.ArgsAtLeastOneFmt},
		{regexp.MustCompile(`^(\w+) requires at least two arguments`), d.ArgsTwoFmt},
		{regexp.MustCompile(`^Bad input to (\w+), too many arguments$`), d.ArgsTooManyFmt},
	} {
		if m := r.re.FindStringSubmatch(detail); m != nil {
			return Tr(r.fmt, m[1])
		}
	}
	return Tr(d.ParserSaysFmt, detail)
}

// InstrText is what line l's instruction does, as the explanation says it
// ("" for one it does not know), then on a line of its own the state it
// leaves for the next line (StateText). An ENTRYPOINT in shell form is not
// the list form, whose CMD becomes its arguments; in a Dockerfile of
// several stages a FROM says which stage it starts and what on, COPY
// --from what it copies from, and a line of a stage that is not the image
// says so.
func InstrText(t *Strings, l dockerfile.Line) string {
	d, g := t.DF, t.DF.Stage
	s := d.Instr[l.Keyword]
	in := l.InStage
	switch {
	case l.Keyword == "ENTRYPOINT" && l.Shell:
		s = d.InstrEntrypointShell
	case l.Keyword == "FROM" && l.Stage >= 0 && (in.Of > 1 || in.BaseStage >= 0):
		s = fromText(g, in)
	case l.Keyword == "COPY" && l.From != "" && l.FromStage >= 0:
		s = Tr(g.CopyFromStageFmt, l.From)
	case l.Keyword == "COPY" && l.From != "":
		s = Tr(g.CopyFromImageFmt, l.From)
	}
	if s == "" || l.Effect == dockerfile.EffectNone {
		return s
	}
	if l.Keyword != "FROM" && l.Stage >= 0 && !in.InImage {
		if in.Built {
			s += " " + Tr(g.InStageFmt, in.Label())
		} else {
			s += " " + Tr(g.InSkippedFmt, in.Label())
		}
	}
	if st := StateText(t, l); st != "" {
		s += "\n" + st
	}
	return s
}

// fromText is what a FROM of a file of several stages starts, and on what.
func fromText(g DockerfileStageStrings, in dockerfile.Stage) string {
	var s string
	switch {
	case in.Final:
		s = g.FromFinal
	case in.InImage:
		s = Tr(g.FromInImageFmt, in.Label())
	case in.Built:
		s = Tr(g.FromBuiltFmt, in.Label())
	default:
		s = Tr(g.FromSkippedFmt, in.Label())
	}
	switch {
	case in.BaseStage >= 0:
		s += " " + Tr(g.OnStageFmt, in.Base)
	case in.Base == "scratch":
		s += " " + g.OnScratch
	default:
		s += " " + Tr(g.OnImageFmt, in.Base)
	}
	return s
}

// StateText is the state line l leaves for the next, in one line: the
// stage (of several), WORKDIR, USER, SHELL, ENV and ARGs this file set, and
// which of them the base image sets, unknown here; "" for a broken line.
func StateText(t *Strings, l dockerfile.Line) string {
	g := t.DF.State
	s := l.After
	if l.Effect == dockerfile.EffectNone {
		return ""
	}
	if l.Stage < 0 {
		if len(s.Args) == 0 {
			return ""
		}
		return Tr(g.GlobalFmt, "ARG "+strings.Join(s.Args, " "))
	}
	var items, unknown []string
	if l.InStage.Of > 1 {
		items = append(items, Tr(g.StageFmt, l.InStage.Label()))
	}
	switch {
	case s.WorkdirSet:
		items = append(items, "WORKDIR "+s.Workdir)
	case s.Workdir != "":
		items = append(items, Tr(g.UnderFmt, s.Workdir, s.Image))
	default:
		unknown = append(unknown, "WORKDIR")
	}
	if s.User != "" {
		items = append(items, "USER "+s.User)
	} else {
		unknown = append(unknown, "USER")
	}
	if s.Shell != nil {
		items = append(items, "SHELL "+strings.Join(s.Shell, " "))
	}
	if len(s.Env) > 0 {
		items = append(items, "ENV "+strings.Join(s.Env, " "))
	} else if s.Image != "scratch" {
		unknown = append(unknown, "ENV")
	}
	if len(s.Args) > 0 {
		items = append(items, "ARG "+strings.Join(s.Args, " "))
	}
	if len(unknown) > 0 {
		items = append(items, Tr(g.BaseFmt, strings.Join(unknown, ", "), s.Image))
	}
	return Tr(g.Fmt, strings.Join(items, " · "))
}

// StagesSummary says, for a Dockerfile of several stages, which one is the
// image (only its layers are counted) and which ones BuildKit skips; nothing
// for one stage.
func StagesSummary(t *Strings, a dockerfile.Analysis) []string {
	g := t.DF.Stage
	n := len(a.StageList)
	if n < 2 {
		return nil
	}
	out := []string{Tr(g.SummaryFmt, n, a.StageList[n-1].Line)}
	var skipped []string
	for _, s := range a.StageList {
		if !s.Built {
			skipped = append(skipped, Tr(g.SkippedItemFmt, s.Label(), s.Line))
		}
	}
	if len(skipped) > 0 {
		out = append(out, Tr(g.SkippedFmt, strings.Join(skipped, ", ")))
	}
	return out
}
