// Package dockerfile explains a Dockerfile line by line for a learner: what
// each instruction does, whether it makes a filesystem layer or only changes
// the image's settings, what it reads after environment substitution, and the
// mistakes beginners make. Parsing is buildkit's own (the parser and the
// instruction checks the engine uses); this package adds the checks a lesson
// needs on top. It never fails: whatever is typed, it returns an Analysis.
package dockerfile

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Effect is what an instruction does to the image being built.
type Effect int

const (
	// EffectNone: a comment, a blank line or a broken line.
	EffectNone Effect = iota
	// EffectBase: FROM picks the image to start from.
	EffectBase
	// EffectLayer: RUN, COPY, ADD commit a new filesystem layer.
	EffectLayer
	// EffectMeta: ENV, CMD, EXPOSE, LABEL… only change the image's settings
	// (a 0-byte history entry, no filesystem layer).
	EffectMeta
	// EffectBuildOnly: ARG exists while building only.
	EffectBuildOnly
)

// NoteKind names a finding; the interface turns it into words.
type NoteKind int

const (
	// NoteSyntax: the parser rejected the file (Detail has its words).
	NoteSyntax NoteKind = iota
	// NoteUnknownInstruction: not an instruction; Suggest may hold the closest one.
	NoteUnknownInstruction
	// NoteBadArguments: a known instruction with arguments it does not accept.
	NoteBadArguments
	// NoteNoFrom: the file has instructions but no FROM first (only ARG may come before).
	NoteNoFrom
	// NoteEmpty: nothing but comments and blank lines.
	NoteEmpty
	// NoteOverriddenCmd: a CMD that a later CMD replaces: it has no effect.
	NoteOverriddenCmd
	// NoteLowercase: a lower-case instruction: it works, upper case is the convention.
	NoteLowercase
	// NoteCmdInstalls: CMD used for build work (installing): RUN does that.
	NoteCmdInstalls
	// NoteRunStartsApp: RUN used to start a long-running program: CMD does that.
	NoteRunStartsApp
	// NoteUnknownVariable: $NAME that no ENV or ARG above declares.
	NoteUnknownVariable
	// NoteParserWarning: a warning of buildkit's parser (e.g. empty continuation line).
	NoteParserWarning
	// NoteInlineComment: a # after an instruction is not a comment (only a
	// line that starts with # is): it becomes part of the arguments.
	NoteInlineComment
	// NoteNotJSON: RUN/CMD/ENTRYPOINT written as a list in single quotes:
	// not JSON, so Docker runs the whole text with /bin/sh -c (Detail).
	NoteNotJSON
	// NoteRunCd: a RUN that only changes directory, with a RUN after it
	// (Other): each RUN starts a fresh shell in the WORKDIR; use WORKDIR.
	NoteRunCd
	// NoteFromNotAnImage: after substitution a FROM names something that is
	// not an image name (Detail), typically an ARG without a default left it
	// "busybox:".
	NoteFromNotAnImage
	// NoteQuotedVar: $NAME (Detail) inside single quotes in a shell-form
	// RUN or CMD: Docker does not substitute there, and the shell does not
	// expand inside single quotes, so it stays "$NAME".
	NoteQuotedVar
	// NoteBrokenJSON: RUN/CMD/ENTRYPOINT written as a list in double quotes
	// that is not valid JSON (a comma or a quote missing): Docker runs the
	// whole text (Detail) with /bin/sh -c.
	NoteBrokenJSON
	// NoteEntrypointShell: an ENTRYPOINT in shell form: sh -c runs it, and
	// CMD (the line in Other, 0 if none) and docker run's arguments are not
	// passed to it.
	NoteEntrypointShell
)

// Severity orders notes: errors stop a build, warnings are mistakes, tips are style.
type Severity int

const (
	SeverityTip Severity = iota
	SeverityWarning
	SeverityError
)

// Severity of each kind.
func (k NoteKind) Severity() Severity {
	switch k {
	case NoteSyntax, NoteUnknownInstruction, NoteBadArguments, NoteNoFrom, NoteEmpty, NoteFromNotAnImage:
		return SeverityError
	case NoteLowercase:
		return SeverityTip
	}
	return SeverityWarning
}

// Note is one finding, at a line and column (1-based).
type Note struct {
	Kind      NoteKind
	Line, Col int
	// Detail is the parser's own words for syntax and argument errors, the
	// variable name for NoteUnknownVariable, the instruction as written for
	// NoteLowercase.
	Detail string
	// Suggest is the instruction meant ("RUN"), for NoteUnknownInstruction and NoteLowercase.
	Suggest string
	// Other is the line of the CMD that overrides this one.
	Other int
}

// Var is a $NAME an instruction reads, and what it is replaced by.
type Var struct {
	Name  string
	Value string
	Known bool
}

// Line is one instruction (which may span several source lines).
type Line struct {
	Line, EndLine int
	// Keyword is the instruction in upper case (RUN); Written is as typed (run).
	Keyword, Written string
	// Args is the text after the instruction, as typed.
	Args   string
	Effect Effect
	// Expanded is Args after environment substitution, when the builder
	// substitutes in this instruction and something changed.
	Expanded string
	// Shell is true for RUN/CMD/ENTRYPOINT in shell form (sh -c runs it and
	// expands $NAME itself); ExecForm for the JSON form (no shell, no expansion).
	Shell, ExecForm bool
	Vars            []Var
	// Overridden is true for a CMD (or ENTRYPOINT) that a later one replaces.
	Overridden bool
	// Step is the build step number the legacy builder prints (Step N/M).
	Step int
}

// Analysis is a whole Dockerfile explained.
type Analysis struct {
	Lines []Line
	Notes []Note
	// Env is the environment after the last ENV, as NAME=value.
	Env []string
	// Cmd is the CMD in effect (the last one), as written; "" if none.
	Cmd string
	// Steps is how many steps the legacy builder will run.
	Steps int
}

// Errors counts the notes that would stop a build.
func (a Analysis) Errors() int {
	n := 0
	for _, no := range a.Notes {
		if no.Kind.Severity() == SeverityError {
			n++
		}
	}
	return n
}

// Counts are how many instructions make a filesystem layer and how many only metadata.
func (a Analysis) Counts() (layers, meta int) {
	for _, l := range a.Lines {
		switch l.Effect {
		case EffectLayer:
			layers++
		case EffectMeta:
			meta++
		}
	}
	return layers, meta
}

// LineAt returns the instruction covering source line n (1-based).
func (a Analysis) LineAt(n int) (Line, bool) {
	for _, l := range a.Lines {
		if n >= l.Line && n <= l.EndLine {
			return l, true
		}
	}
	return Line{}, false
}

// NotesAt returns the notes on source line n.
func (a Analysis) NotesAt(n int) []Note {
	var out []Note
	for _, no := range a.Notes {
		if no.Line == n {
			out = append(out, no)
		}
	}
	return out
}

// substitutes lists the instructions in which the builder replaces $NAME
// with ENV/ARG values before running them.
var substitutes = map[string]bool{
	"ADD": true, "COPY": true, "ENV": true, "EXPOSE": true, "FROM": true, "LABEL": true,
	"STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true, "ARG": true,
}

var effects = map[string]Effect{
	"FROM": EffectBase, "RUN": EffectLayer, "COPY": EffectLayer, "ADD": EffectLayer,
	// The classic builder creates WORKDIR's folder in a container and
	// commits it: a layer, of 0 B when the folder was there already.
	"WORKDIR": EffectLayer,
	"ARG":     EffectBuildOnly,
}

// Analyze explains src. It never panics and never returns an error: problems
// are Notes, with their line and column.
func Analyze(src string) (a Analysis) {
	defer func() {
		if r := recover(); r != nil {
			// buildkit's parser must not take the editor down with it.
			a = Analysis{Notes: []Note{{Kind: NoteSyntax, Line: 1, Col: 1, Detail: fmt.Sprint(r)}}}
		}
	}()
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil && strings.Contains(err.Error(), "file with no instructions") {
		return Analysis{Notes: []Note{{Kind: NoteEmpty, Line: 1, Col: 1}}}
	}
	if err != nil {
		line, col := errorPlace(err, src)
		return Analysis{Notes: []Note{{Kind: NoteSyntax, Line: line, Col: col, Detail: cleanDetail(err)}}}
	}
	srcLines := strings.Split(src, "\n")
	for _, w := range res.Warnings {
		n := Note{Kind: NoteParserWarning, Line: 1, Col: 1, Detail: w.Short}
		if w.Location != nil {
			n.Line = max(w.Location.Start.Line, 1)
		}
		a.Notes = append(a.Notes, n)
	}
	// lex shows a line after substitution as typed (quotes kept); values
	// come out as the builder stores them, quotes removed (valueLex).
	lex := shell.NewLex(res.EscapeToken)
	lex.RawQuotes = true
	valueLex := shell.NewLex(res.EscapeToken)
	env := map[string]string{}
	// globalArgs are the ARGs declared before the first FROM: the only
	// variables a FROM line sees.
	globalArgs := map[string]string{}
	seenFrom := false
	var lastCmd, lastEntry = -1, -1
	cdLine := 0 // a RUN of this stage that only changed directory
	for _, node := range res.AST.Children {
		l := Line{Line: node.StartLine, EndLine: node.EndLine, Written: node.Value, Keyword: strings.ToUpper(node.Value)}
		l.Args = argsOf(node)
		l.Effect = effects[l.Keyword]
		col := keywordCol(srcLines, node.StartLine)
		cmd, perr := instructions.ParseInstruction(node)
		if perr != nil {
			var unknown *instructions.UnknownInstructionError
			n := Note{Kind: NoteBadArguments, Line: node.StartLine, Col: col + len(node.Value) + 1, Detail: cleanDetail(perr)}
			if errors.As(perr, &unknown) {
				n.Kind, n.Col, n.Suggest = NoteUnknownInstruction, col, suggestion(perr)
			}
			a.Notes = append(a.Notes, n)
			l.Effect = EffectNone
			a.Lines = append(a.Lines, l)
			continue
		}
		if l.Effect == EffectNone {
			l.Effect = EffectMeta
		}
		if node.Value != l.Keyword {
			a.Notes = append(a.Notes, Note{Kind: NoteLowercase, Line: node.StartLine, Col: col, Detail: node.Value, Suggest: l.Keyword})
		}
		switch {
		case l.Keyword == "FROM":
			seenFrom = true
			env = map[string]string{} // a new stage starts from the base image's settings
			cdLine = 0
		case l.Keyword == "ARG" && !seenFrom:
			// ARG before FROM is allowed: it only feeds FROM lines.
		case !seenFrom:
			a.Notes = append(a.Notes, Note{Kind: NoteNoFrom, Line: node.StartLine, Col: col})
			seenFrom = true // say it once
		}
		if l.Keyword != "ARG" || seenFrom {
			a.Steps++
			l.Step = a.Steps
		}
		if substitutes[l.Keyword] {
			// FROM sees only the ARGs declared before the first FROM, never ENV.
			scope := env
			if l.Keyword == "FROM" {
				scope = globalArgs
			}
			r, err := lex.ProcessWordWithMatches(l.Args, shell.EnvsFromSlice(envSlice(scope)))
			if err == nil && r.Result != l.Args {
				l.Expanded = r.Result
			}
			l.Vars = vars(r, scope)
			if l.Keyword == "FROM" && l.Expanded != "" && len(strings.Fields(l.Expanded)) > 0 {
				if img := strings.Fields(l.Expanded)[0]; img != "scratch" {
					if _, rerr := reference.ParseNormalizedNamed(img); rerr != nil {
						a.Notes = append(a.Notes, Note{Kind: NoteFromNotAnImage, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, l.Args), Detail: img})
					}
				}
			}
			if ex, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
				_ = ex.Expand(func(word string) (string, error) {
					r, err := valueLex.ProcessWordWithMatches(word, shell.EnvsFromSlice(envSlice(env)))
					return r.Result, err
				})
			}
		}
		switch c := cmd.(type) {
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				env[kv.Key] = kv.Value
			}
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				if l.Step == 0 { // before the first FROM: for FROM lines only
					globalArgs[kv.Key] = ""
					if kv.Value != nil {
						globalArgs[kv.Key] = *kv.Value
					}
					continue
				}
				if _, set := env[kv.Key]; !set && kv.Value != nil {
					env[kv.Key] = *kv.Value
				}
			}
		case *instructions.RunCommand:
			l.Shell, l.ExecForm = c.PrependShell, !c.PrependShell
			l.Vars = shellVars(lex, c.CmdLine, c.PrependShell, env)
			if cdLine > 0 {
				a.Notes = append(a.Notes, Note{Kind: NoteRunCd, Line: cdLine, Col: 1, Other: node.StartLine})
				cdLine = 0
			}
			if c.PrependShell && onlyCd.MatchString(strings.Join(c.CmdLine, " ")) {
				cdLine = node.StartLine
			}
			if startsApp(c.CmdLine) {
				a.Notes = append(a.Notes, Note{Kind: NoteRunStartsApp, Line: node.StartLine, Col: col})
			}
		case *instructions.CmdCommand:
			l.Shell, l.ExecForm = c.PrependShell, !c.PrependShell
			l.Vars = shellVars(lex, c.CmdLine, c.PrependShell, env)
			if lastCmd >= 0 {
				a.Lines[lastCmd].Overridden = true
				a.Notes = append(a.Notes, Note{Kind: NoteOverriddenCmd, Line: a.Lines[lastCmd].Line, Col: 1, Other: node.StartLine})
			}
			lastCmd = len(a.Lines)
			a.Cmd = l.Args
			if installs(c.CmdLine) {
				a.Notes = append(a.Notes, Note{Kind: NoteCmdInstalls, Line: node.StartLine, Col: col})
			}
		case *instructions.EntrypointCommand:
			l.Shell, l.ExecForm = c.PrependShell, !c.PrependShell
			if lastEntry >= 0 {
				a.Lines[lastEntry].Overridden = true
			}
			lastEntry = len(a.Lines)
		}
		if l.Shell && strings.HasPrefix(l.Args, "[") && strings.Contains(l.Args, "'") {
			a.Notes = append(a.Notes, Note{Kind: NoteNotJSON, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, l.Args), Detail: l.Args})
		} else if l.Shell && strings.HasPrefix(l.Args, `["`) && strings.HasSuffix(l.Args, `"]`) && shellRuns[l.Keyword] {
			// Meant as a list, but the parser did not read it as JSON (a
			// shell's test, [ "$A" = x ], has its spaces).
			a.Notes = append(a.Notes, Note{Kind: NoteBrokenJSON, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, l.Args), Detail: l.Args})
		}
		if l.Shell && (l.Keyword == "RUN" || l.Keyword == "CMD") {
			for _, name := range singleQuotedVars(l.Args) {
				if _, known := env[name]; known {
					a.Notes = append(a.Notes, Note{Kind: NoteQuotedVar, Line: node.StartLine, Col: varCol(srcLines, node.StartLine, name), Detail: name})
				}
			}
		}
		if i := inlineComment(l.Args); i >= 0 && !shellRuns[l.Keyword] {
			a.Notes = append(a.Notes, Note{Kind: NoteInlineComment, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, l.Args) + i})
		}
		for _, v := range l.Vars {
			if !v.Known {
				a.Notes = append(a.Notes, Note{Kind: NoteUnknownVariable, Line: node.StartLine, Col: varCol(srcLines, node.StartLine, v.Name), Detail: v.Name})
			}
		}
		a.Lines = append(a.Lines, l)
	}
	if lastEntry >= 0 && a.Lines[lastEntry].Shell {
		// sh -c runs it: the CMD is not its arguments, and does not apply.
		n := Note{Kind: NoteEntrypointShell, Line: a.Lines[lastEntry].Line, Col: 1}
		if lastCmd >= 0 {
			n.Other = a.Lines[lastCmd].Line
		}
		a.Notes = append(a.Notes, n)
		a.Cmd = ""
	}
	if len(res.AST.Children) == 0 {
		a.Notes = append(a.Notes, Note{Kind: NoteEmpty, Line: 1, Col: 1})
	} else if !seenFrom {
		// Only ARGs: there is no image to build on.
		a.Notes = append(a.Notes, Note{Kind: NoteNoFrom, Line: res.AST.Children[0].StartLine, Col: 1})
	}
	a.Env = envSlice(env)
	sort.SliceStable(a.Notes, func(i, j int) bool {
		if a.Notes[i].Line != a.Notes[j].Line {
			return a.Notes[i].Line < a.Notes[j].Line
		}
		return a.Notes[i].Kind.Severity() > a.Notes[j].Kind.Severity()
	})
	return a
}

// argsOf is the instruction's text after its keyword, continuation lines joined.
func argsOf(node *parser.Node) string {
	s := strings.TrimSpace(node.Original)
	if len(s) >= len(node.Value) && strings.EqualFold(s[:len(node.Value)], node.Value) {
		s = s[len(node.Value):]
	}
	for _, f := range node.Flags {
		s = strings.Replace(s, f, "", 1)
	}
	return strings.TrimSpace(s)
}

func envSlice(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func vars(r shell.ProcessWordResult, env map[string]string) []Var {
	var out []Var
	for n := range r.Matched {
		out = append(out, Var{Name: n, Value: env[n], Known: true})
	}
	for n := range r.Unmatched {
		out = append(out, Var{Name: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// shellVars are the variables a shell-form RUN or CMD reads: the shell
// expands them itself, with the ENV values. The exec form expands nothing.
func shellVars(lex *shell.Lex, cmdLine []string, shellForm bool, env map[string]string) []Var {
	if !shellForm {
		return nil
	}
	r, err := lex.ProcessWordWithMatches(strings.Join(cmdLine, " "), shell.EnvsFromSlice(envSlice(env)))
	if err != nil {
		return nil
	}
	vs := vars(r, env)
	// Names the shell sets itself are not the Dockerfile's business.
	out := vs[:0]
	for _, v := range vs {
		if !shellOwn[v.Name] {
			out = append(out, v)
		}
	}
	return out
}

var shellOwn = map[string]bool{"PATH": true, "HOME": true, "PWD": true, "HOSTNAME": true, "SHELL": true, "USER": true, "TERM": true, "RANDOM": true, "IFS": true, "OLDPWD": true}

var (
	installRe  = regexp.MustCompile(`\b(apt-get|apt|yum|dnf|apk|pip3?|npm|gem|cargo)\s+(install|add|update|upgrade)\b|\bgo\s+build\b|\bmake\b`)
	appStartRe = regexp.MustCompile(`^(exec\s+)?(python3?\s+\S+\.py|node\s+\S+|npm\s+start|flask\s+run|nginx(\s|$)|httpd(\s|$)|java\s+-jar|rails\s+s(erver)?|uvicorn|gunicorn|sleep\s+infinity|tail\s+-f)`)
)

func installs(cmdLine []string) bool { return installRe.MatchString(strings.Join(cmdLine, " ")) }

func startsApp(cmdLine []string) bool {
	s := strings.TrimSpace(strings.Join(cmdLine, " "))
	// The last command of a && chain is the one that would keep running.
	if i := strings.LastIndex(s, "&&"); i >= 0 {
		s = strings.TrimSpace(s[i+2:])
	}
	return appStartRe.MatchString(s)
}

// errorPlace finds the line of a parser error and a column on it.
func errorPlace(err error, src string) (int, int) {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		n := max(le.Locations[0][0].Start.Line, 1)
		return n, keywordCol(strings.Split(src, "\n"), n)
	}
	return 1, 1
}

// keywordCol is the column where line n's text starts.
func keywordCol(lines []string, n int) int {
	if n < 1 || n > len(lines) {
		return 1
	}
	s := lines[n-1]
	return len(s) - len(strings.TrimLeft(s, " \t")) + 1
}

// varCol is the column of $name (or ${name}) on line n, or the line's start.
func varCol(lines []string, n int, name string) int {
	if n >= 1 && n <= len(lines) {
		for _, pat := range []string{"${" + name, "$" + name} {
			if i := strings.Index(lines[n-1], pat); i >= 0 {
				return i + 1
			}
		}
	}
	return keywordCol(lines, n)
}

var didYouMean = regexp.MustCompile(`did you mean ([A-Za-z]+)\?`)

func suggestion(err error) string {
	if m := didYouMean.FindStringSubmatch(err.Error()); m != nil && len(strings.Fields(unknownWord(err))[0]) > 2 {
		return strings.ToUpper(m[1])
	}
	return ""
}

// cleanDetail is the parser's message without its "dockerfile parse error on
// line N:" prefix (the line is shown separately).
func cleanDetail(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && strings.Contains(s[:i], "line") {
		s = s[i+2:]
	}
	return s
}

// shellRuns are the instructions whose shell form a shell runs: there a #
// does start a (shell) comment.
var shellRuns = map[string]bool{"RUN": true, "CMD": true, "ENTRYPOINT": true, "HEALTHCHECK": true, "ONBUILD": true, "SHELL": true}

// inlineComment finds a # that starts a word outside quotes, or -1.
func inlineComment(args string) int {
	var quote rune
	prev := ' '
	for i, r := range args {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			return i
		}
		prev = r
	}
	return -1
}

// argsCol is the column where args start on line n (best effort).
func argsCol(lines []string, n int, args string) int {
	if n >= 1 && n <= len(lines) && args != "" {
		if i := strings.Index(lines[n-1], args); i >= 0 {
			return i + 1
		}
	}
	return keywordCol(lines, n)
}

// unknownWord is the word an unknown-instruction error is about (or "?").
func unknownWord(err error) string {
	w := strings.Fields(strings.TrimPrefix(cleanDetail(err), "unknown instruction: "))
	if len(w) == 0 {
		return "?"
	}
	return w[0]
}

// onlyCd is a shell command that does nothing but change directory.
var onlyCd = regexp.MustCompile(`^\s*cd(\s+[^;&|]*)?$`)

// quotedVar finds $NAME or ${NAME} in a single-quoted stretch.
var quotedVar = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// singleQuotedVars are the variables written inside single quotes in a
// shell command (where the shell leaves them as written).
func singleQuotedVars(cmd string) []string {
	var out []string
	inDouble := false
	for i := 0; i < len(cmd); i++ {
		switch cmd[i] {
		case '\\':
			i++
		case '"':
			inDouble = !inDouble
		case '\'':
			if inDouble {
				continue
			}
			end := strings.IndexByte(cmd[i+1:], '\'')
			if end < 0 {
				return out
			}
			for _, m := range quotedVar.FindAllStringSubmatch(cmd[i+1:i+1+end], -1) {
				out = append(out, m[1])
			}
			i += end + 1
		}
	}
	return out
}

// Stages counts the Dockerfile's stages (its FROM lines).
func (a Analysis) Stages() int {
	n := 0
	for _, l := range a.Lines {
		if l.Keyword == "FROM" {
			n++
		}
	}
	return n
}
