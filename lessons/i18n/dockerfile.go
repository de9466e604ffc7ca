package i18n

import (
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
		s = n.Detail
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
	}
	mark := map[dockerfile.Severity]string{dockerfile.SeverityError: "✗ ", dockerfile.SeverityWarning: "! ", dockerfile.SeverityTip: "· "}[n.Kind.Severity()]
	return mark + Tr(d.NoteAtFmt, n.Line, n.Col) + " " + s
}
