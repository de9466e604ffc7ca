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
// ("" for one it does not know): an ENTRYPOINT in shell form is not the
// list form, whose CMD becomes its arguments.
func InstrText(t *Strings, l dockerfile.Line) string {
	if l.Keyword == "ENTRYPOINT" && l.Shell {
		return t.DF.InstrEntrypointShell
	}
	return t.DF.Instr[l.Keyword]
}
