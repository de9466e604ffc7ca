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
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
	// NoteWorkdirJoined: a relative WORKDIR joins the one before it: Detail
	// is the folder it makes, Other the line of the WORKDIR it joins (0
	// when it joins the base image's, not known here: Detail is then the
	// relative path).
	NoteWorkdirJoined
	// NoteVarOtherStage: $NAME (Detail) is set by an ENV or ARG on line
	// Other, in another stage: each FROM starts over, so here it is empty.
	NoteVarOtherStage
	// NoteGlobalArg: $NAME (Detail) is an ARG declared before the first FROM
	// (line Other): only FROM lines see it unless the stage says ARG NAME.
	NoteGlobalArg
	// NoteRunExport: a RUN exports NAME (Detail): the variable lasts for
	// that RUN's shell only; Other is a later line of the stage that reads
	// it (0 if none).
	NoteRunExport
	// NoteOutsideContext: a COPY/ADD source (Detail, as written) leaves the
	// build context (../) or is absolute: Docker looks for Suggest (the
	// path cleaned inside the context) in the context, and never sends
	// files outside it.
	NoteOutsideContext
	// NoteUserNotRoot: a RUN after USER Detail (not root) that installs
	// packages or writes into a system folder (Suggest): those belong to
	// root, so it may fail with "Permission denied"; Other is the USER's line.
	NoteUserNotRoot
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
	case NoteLowercase, NoteWorkdirJoined:
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
	// Args is the text after the instruction, as typed, its flags
	// (--from=build, --chown=…) included; Flags are those flags.
	Args   string
	Flags  []string
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
	// Stage is the index in Analysis.StageList of the stage the line is in
	// (-1 for an ARG before the first FROM); InStage is that stage.
	Stage   int
	InStage Stage
	// From is COPY's --from (or RUN's --mount from=) as written, "" when it
	// reads the build context; FromStage is the stage it names, by name or
	// index (-1 when it names an image).
	From      string
	FromStage int
	// After is the state the next instruction runs in.
	After State
}

// Stage is one FROM and the instructions under it. A build makes the last
// stage into the image; BuildKit builds only the stages it needs (those it
// starts FROM, and those COPY --from or RUN --mount from= read), the classic
// builder builds them all.
type Stage struct {
	Index, Line int
	// Name is the name after AS (lower case, as the builder keeps it).
	Name string
	// Base is what FROM names, after substitution; BaseStage the stage it
	// names (-1 for an image or scratch).
	Base      string
	BaseStage int
	// Final: the stage that becomes the image. InImage: its layers are in
	// the image (the final stage and the stages it starts FROM).
	Final, InImage bool
	// Built: BuildKit builds it (the final stage needs it); Skipped the
	// opposite, said only when the file has several stages.
	Built bool
	// Reads are the stages it copies or mounts from.
	Reads []int
	// Of is how many stages the file has.
	Of int
}

// Label is the stage's name, or its index as COPY --from takes it.
func (s Stage) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return strconv.Itoa(s.Index)
}

// State is what the builder carries from one instruction to the next in a
// stage. What the base image sets itself (its WORKDIR, USER, ENV) is not
// known here: Image names it, and what this file has not set is left empty.
type State struct {
	// Image is the image the stage starts from, through the stages it
	// starts FROM ("scratch" for none).
	Image string
	// Workdir: the working folder. WorkdirSet: this file set it to an
	// absolute folder (or scratch's /); otherwise a non-empty Workdir is
	// relative to the base image's.
	Workdir    string
	WorkdirSet bool
	// User is the USER set ("" the base image's).
	User string
	// Shell is the SHELL set (nil: the base image's, /bin/sh -c unless it sets one).
	Shell []string
	// Env is NAME=value of what ENV set (sorted); Args the ARGs declared
	// (build only; NAME=value, or NAME without a value).
	Env, Args []string
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
	// StageList are the stages, in order; the last one is the image.
	StageList []Stage
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

// Counts are how many instructions make a filesystem layer of the image and
// how many only its metadata: those of the last stage and of the stages it
// starts FROM (the other stages' layers are not in the image).
func (a Analysis) Counts() (layers, meta int) {
	for _, l := range a.Lines {
		if len(a.StageList) > 0 && (l.Stage < 0 || !a.StageList[l.Stage].InImage) {
			continue
		}
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
	// t is the stage being read; ends are the stages read, as they end (a
	// FROM of a stage starts from its end).
	t := newTrack("")
	var ends []track
	// globalArgs are the ARGs declared before the first FROM: the only
	// variables a FROM line sees (globalArgLine: where).
	globalArgs := map[string]string{}
	globalArgLine := map[string]int{}
	var globalDecl []string // as the state says them: NAME=value, or NAME
	// setAt is the first line whose ENV or ARG gave NAME a value.
	setAt := map[string]int{}
	exportNoted := map[string]bool{} // NAME@line of a RUN export already said
	var reads []stageRead
	seenFrom := false
	var lastCmd, lastEntry = -1, -1
	cdLine := 0 // a RUN of this stage that only changed directory
	cur := -1   // the stage being read
	for _, node := range res.AST.Children {
		l := Line{Line: node.StartLine, EndLine: node.EndLine, Written: node.Value, Keyword: strings.ToUpper(node.Value), Stage: cur, FromStage: -1}
		l.Args, l.Flags = argsOf(node), node.Flags
		body := bodyOf(node) // the arguments without the flags
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
			l.After = t.snapshot()
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
			scope := t.env
			if l.Keyword == "FROM" {
				scope = globalArgs
			}
			r, err := lex.ProcessWordWithMatches(l.Args, shell.EnvsFromSlice(envSlice(scope)))
			if err == nil && r.Result != l.Args {
				l.Expanded = r.Result
			}
			l.Vars = vars(r, scope)
			if l.Keyword == "FROM" {
				if b, err := lex.ProcessWordWithMatches(body, shell.EnvsFromSlice(envSlice(scope))); err == nil && b.Result != body && len(strings.Fields(b.Result)) > 0 {
					if img := strings.Fields(b.Result)[0]; img != "scratch" {
						if _, rerr := reference.ParseNormalizedNamed(img); rerr != nil {
							a.Notes = append(a.Notes, Note{Kind: NoteFromNotAnImage, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, body), Detail: img})
						}
					}
				}
			}
			if ex, ok := cmd.(instructions.SupportsSingleWordExpansion); ok {
				_ = ex.Expand(func(word string) (string, error) {
					r, err := valueLex.ProcessWordWithMatches(word, shell.EnvsFromSlice(envSlice(t.env)))
					return r.Result, err
				})
			}
		}
		switch c := cmd.(type) {
		case *instructions.Stage:
			if cur >= 0 {
				ends = append(ends, t)
			}
			base := c.BaseName
			if r, err := valueLex.ProcessWordWithMatches(base, shell.EnvsFromSlice(envSlice(globalArgs))); err == nil {
				base = r.Result
			}
			s := Stage{Index: len(a.StageList), Line: node.StartLine, Name: c.Name, Base: base, BaseStage: -1}
			// FROM names an earlier stage by its name exactly (the builder
			// keeps names in lower case), or else an image.
			for j, e := range a.StageList {
				if e.Name != "" && e.Name == base {
					s.BaseStage = j
				}
			}
			if s.BaseStage >= 0 {
				// The stage as it ended: its files and settings, and (in
				// BuildKit) its ARGs.
				t = ends[s.BaseStage].clone()
			} else {
				t = newTrack(base)
			}
			t.exports = map[string]int{}
			a.StageList = append(a.StageList, s)
			cur = s.Index
			l.Stage = cur
		case *instructions.EnvCommand:
			t.state.Env = nil // sorted again by snapshot
			for _, kv := range c.Env {
				t.env[kv.Key] = kv.Value
				t.envSet[kv.Key] = kv.Value
				if _, ok := setAt[kv.Key]; !ok {
					setAt[kv.Key] = node.StartLine
				}
			}
		case *instructions.ArgCommand:
			for _, kv := range c.Args {
				if l.Step == 0 { // before the first FROM: for FROM lines only
					globalArgs[kv.Key] = ""
					decl := kv.Key
					if kv.Value != nil {
						globalArgs[kv.Key] = *kv.Value
						decl += "=" + *kv.Value
					}
					globalArgLine[kv.Key] = node.StartLine
					globalDecl = append(slices.Clip(globalDecl), decl)
					continue
				}
				value := kv.Value
				if g, ok := globalArgs[kv.Key]; ok && value == nil {
					// ARG NAME in a stage takes the value it had before FROM.
					value = &g
				}
				decl := kv.Key
				if value != nil {
					decl += "=" + *value
					if _, set := t.env[kv.Key]; !set {
						t.env[kv.Key] = *value
					}
					if _, ok := setAt[kv.Key]; !ok {
						setAt[kv.Key] = node.StartLine
					}
				}
				t.state.Args = append(slices.Clip(t.state.Args), decl)
			}
		case *instructions.WorkdirCommand:
			p, before := c.Path, t.state.Workdir
			switch {
			case path.IsAbs(p):
				t.state.Workdir, t.state.WorkdirSet = path.Clean(p), true
			case t.state.WorkdirSet:
				t.state.Workdir = path.Join(before, p)
				a.Notes = append(a.Notes, Note{Kind: NoteWorkdirJoined, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, body), Detail: t.state.Workdir, Suggest: before, Other: t.workdirLine})
			default:
				// Joined to the base image's WORKDIR, which is not known here.
				t.state.Workdir = path.Join(before, p)
				a.Notes = append(a.Notes, Note{Kind: NoteWorkdirJoined, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, body), Detail: t.state.Workdir})
			}
			t.workdirLine = node.StartLine
		case *instructions.UserCommand:
			t.state.User = c.User
			t.userLine = node.StartLine
		case *instructions.ShellCommand:
			t.state.Shell = slices.Clone(c.Shell)
		case *instructions.CopyCommand:
			if c.From != "" {
				l.From = c.From
				reads = append(reads, stageRead{line: len(a.Lines), stage: cur, from: c.From})
			} else {
				a.Notes = append(a.Notes, outsideContext(srcLines, node.StartLine, c.SourcePaths, false)...)
			}
		case *instructions.AddCommand:
			a.Notes = append(a.Notes, outsideContext(srcLines, node.StartLine, c.SourcePaths, true)...)
		case *instructions.RunCommand:
			l.Shell, l.ExecForm = c.PrependShell, !c.PrependShell
			l.Vars = shellVars(lex, c.CmdLine, c.PrependShell, t.env)
			for _, m := range instructions.GetMounts(c) {
				if m.From != "" {
					if l.From == "" {
						l.From = m.From
					}
					reads = append(reads, stageRead{line: len(a.Lines), stage: cur, from: m.From, mount: true})
				}
			}
			if cdLine > 0 {
				a.Notes = append(a.Notes, Note{Kind: NoteRunCd, Line: cdLine, Col: 1, Other: node.StartLine})
				cdLine = 0
			}
			run := strings.Join(c.CmdLine, " ")
			if c.PrependShell && slices.ContainsFunc(l.Vars, func(v Var) bool { return !v.Known }) {
				// What the command sets itself is not unknown to it.
				own := assigned(run)
				l.Vars = slices.DeleteFunc(l.Vars, func(v Var) bool { return !v.Known && own[v.Name] })
			}
			if c.PrependShell && onlyCd.MatchString(run) {
				cdLine = node.StartLine
			}
			if startsApp(c.CmdLine) {
				a.Notes = append(a.Notes, Note{Kind: NoteRunStartsApp, Line: node.StartLine, Col: col})
			}
			if c.PrependShell && strings.Contains(run, "export") {
				for _, name := range exported(run) {
					t.exports[name] = node.StartLine
					if exportLast.MatchString(run) {
						// Nothing after it in this RUN: it does nothing.
						exportNoted[fmt.Sprint(name, "@", node.StartLine)] = true
						a.Notes = append(a.Notes, Note{Kind: NoteRunExport, Line: node.StartLine, Col: col, Detail: name})
					}
				}
			}
			if u := t.state.User; c.PrependShell && u != "" && !isRoot(u) {
				if what := needsRoot(run, t); what != "" {
					a.Notes = append(a.Notes, Note{Kind: NoteUserNotRoot, Line: node.StartLine, Col: col, Detail: u, Suggest: what, Other: t.userLine})
				}
			}
		case *instructions.CmdCommand:
			l.Shell, l.ExecForm = c.PrependShell, !c.PrependShell
			l.Vars = shellVars(lex, c.CmdLine, c.PrependShell, t.env)
			if lastCmd >= 0 {
				a.Lines[lastCmd].Overridden = true
				a.Notes = append(a.Notes, Note{Kind: NoteOverriddenCmd, Line: a.Lines[lastCmd].Line, Col: 1, Other: node.StartLine})
			}
			lastCmd = len(a.Lines)
			a.Cmd = body
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
		if l.Shell && strings.HasPrefix(body, "[") && strings.Contains(body, "'") {
			a.Notes = append(a.Notes, Note{Kind: NoteNotJSON, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, body), Detail: body})
		} else if l.Shell && strings.HasPrefix(body, `["`) && strings.HasSuffix(body, `"]`) && shellRuns[l.Keyword] {
			// Meant as a list, but the parser did not read it as JSON (a
			// shell's test, [ "$A" = x ], has its spaces).
			a.Notes = append(a.Notes, Note{Kind: NoteBrokenJSON, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, body), Detail: body})
		}
		if l.Shell && (l.Keyword == "RUN" || l.Keyword == "CMD") {
			for _, name := range singleQuotedVars(body) {
				if _, known := t.env[name]; known {
					a.Notes = append(a.Notes, Note{Kind: NoteQuotedVar, Line: node.StartLine, Col: varCol(srcLines, node.StartLine, name), Detail: name})
				}
			}
		}
		if i := inlineComment(body); i >= 0 && !shellRuns[l.Keyword] {
			a.Notes = append(a.Notes, Note{Kind: NoteInlineComment, Line: node.StartLine, Col: argsCol(srcLines, node.StartLine, body) + i})
		}
		for _, v := range l.Vars {
			if v.Known {
				continue
			}
			n := Note{Kind: NoteUnknownVariable, Line: node.StartLine, Col: varCol(srcLines, node.StartLine, v.Name), Detail: v.Name}
			if l.Keyword != "FROM" {
				if at, ok := globalArgLine[v.Name]; ok {
					n.Kind, n.Other = NoteGlobalArg, at
				} else if at, ok := setAt[v.Name]; ok {
					n.Kind, n.Other = NoteVarOtherStage, at
				}
				if at, ok := t.exports[v.Name]; ok && at != node.StartLine && !exportNoted[fmt.Sprint(v.Name, "@", at)] {
					exportNoted[fmt.Sprint(v.Name, "@", at)] = true
					a.Notes = append(a.Notes, Note{Kind: NoteRunExport, Line: at, Col: keywordCol(srcLines, at), Detail: v.Name, Other: node.StartLine})
				}
			}
			a.Notes = append(a.Notes, n)
		}
		if cur < 0 {
			l.After = State{Args: globalDecl}
		} else {
			l.After = t.snapshot()
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
	a.Env = envSlice(t.env)
	a.linkStages(reads)
	sort.SliceStable(a.Notes, func(i, j int) bool {
		if a.Notes[i].Line != a.Notes[j].Line {
			return a.Notes[i].Line < a.Notes[j].Line
		}
		return a.Notes[i].Kind.Severity() > a.Notes[j].Kind.Severity()
	})
	return a
}

// track is what the analyzer carries through a stage: the substitution
// scope (ENV and ARG values), what ENV set, the state (with the ARGs declared),
// the lines that set the WORKDIR and the USER, and the variables a RUN
// exported (by name, the RUN's line).
type track struct {
	env, envSet           map[string]string
	state                 State
	workdirLine, userLine int
	exports               map[string]int
}

func newTrack(image string) track {
	t := track{env: map[string]string{}, envSet: map[string]string{}, exports: map[string]int{}, state: State{Image: image}}
	if image == "scratch" {
		// An empty filesystem: the builder runs in /, as root.
		t.state.Workdir, t.state.WorkdirSet, t.state.User = "/", true, "root"
	}
	return t
}

func (t track) clone() track {
	c := t
	c.env, c.envSet = maps.Clone(t.env), maps.Clone(t.envSet)
	c.exports = map[string]int{}
	return c
}

// snapshot is the state as the next line finds it. Its slices are shared
// with the lines before as long as nothing changes them: an ENV makes a new
// Env, an ARG and a SHELL a new Args and Shell.
func (t *track) snapshot() State {
	if t.state.Env == nil && len(t.envSet) > 0 {
		t.state.Env = envSlice(t.envSet)
	}
	return t.state
}

// stageRead is a COPY --from or RUN --mount from= of a line, to resolve
// once every stage is known.
type stageRead struct {
	line, stage int
	from        string
	mount       bool
}

// linkStages resolves what each --from names, then which stage is the
// image, which stages' layers it has, and which stages BuildKit builds.
func (a *Analysis) linkStages(reads []stageRead) {
	n := len(a.StageList)
	if n == 0 {
		return
	}
	for _, r := range reads {
		to := -1
		if i, err := strconv.Atoi(r.from); err == nil {
			if i >= 0 && i < n {
				to = i
			}
		} else {
			for j, s := range a.StageList {
				if s.Name != "" && s.Name == strings.ToLower(r.from) {
					to = j
				}
			}
		}
		a.Lines[r.line].FromStage = to
		if to >= 0 && r.stage >= 0 && to != r.stage {
			a.StageList[r.stage].Reads = append(a.StageList[r.stage].Reads, to)
		}
	}
	final := n - 1
	for i := final; i >= 0; i = a.StageList[i].BaseStage {
		if a.StageList[i].InImage {
			break
		}
		a.StageList[i].InImage = true
	}
	var built func(i int)
	built = func(i int) {
		if i < 0 || a.StageList[i].Built {
			return
		}
		a.StageList[i].Built = true
		built(a.StageList[i].BaseStage)
		for _, j := range a.StageList[i].Reads {
			built(j)
		}
	}
	built(final)
	for i := range a.StageList {
		a.StageList[i].Of = n
	}
	a.StageList[final].Final = true
	for i := range a.Lines {
		if s := a.Lines[i].Stage; s >= 0 {
			a.Lines[i].InStage = a.StageList[s]
		}
	}
}

// outsideContext are the COPY/ADD sources that leave the build context
// (../) or are absolute: both are read inside the context, at the path
// cleaned there (BuildKit's own path.Join("/", src)).
func outsideContext(lines []string, n int, srcs []string, add bool) []Note {
	var out []Note
	for _, s := range srcs {
		if add && (strings.Contains(s, "://") || strings.HasPrefix(s, "git@")) {
			continue // fetched, not read from the context
		}
		clean := path.Clean(s)
		if !path.IsAbs(s) && clean != ".." && !strings.HasPrefix(clean, "../") {
			continue
		}
		in := strings.TrimPrefix(path.Join("/", s), "/")
		if in == "" {
			in = "."
		}
		col := keywordCol(lines, n)
		if n >= 1 && n <= len(lines) {
			if i := strings.Index(lines[n-1], s); i >= 0 {
				col = i + 1
			}
		}
		out = append(out, Note{Kind: NoteOutsideContext, Line: n, Col: col, Detail: s, Suggest: in})
	}
	return out
}

// argsOf is the instruction's text after its keyword, continuation lines
// joined, its flags included.
func argsOf(node *parser.Node) string {
	s := strings.TrimSpace(node.Original)
	if len(s) >= len(node.Value) && strings.EqualFold(s[:len(node.Value)], node.Value) {
		s = s[len(node.Value):]
	}
	return strings.TrimSpace(s)
}

// bodyOf is argsOf without the flags: the command, the paths, the image.
func bodyOf(node *parser.Node) string {
	s := argsOf(node)
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

// exportRe finds NAME in "export NAME=…" (or "export NAME") in a shell command.
var exportRe = regexp.MustCompile(`(?:^|&&|;|\|\|)\s*export\s+((?:[A-Za-z_][A-Za-z0-9_]*(?:=\S*)?\s*)+)`)

// exportLast is a shell command that ends with an export.
var exportLast = regexp.MustCompile(`(?:^|&&|;)\s*export(?:\s+[A-Za-z_][A-Za-z0-9_]*(?:=\S*)?)+\s*;?\s*$`)

// exported are the names a shell command exports.
func exported(cmd string) []string {
	var out []string
	for _, m := range exportRe.FindAllStringSubmatch(cmd, -1) {
		for _, w := range strings.Fields(m[1]) {
			name, _, _ := strings.Cut(w, "=")
			out = append(out, name)
		}
	}
	return out
}

// isRoot: a USER that is root (by name or id, with any group).
func isRoot(user string) bool {
	u, _, _ := strings.Cut(user, ":")
	return u == "root" || u == "0"
}

var (
	rootInstall = regexp.MustCompile(`\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(-\S+\s+)*(install|add|update|upgrade)\b`)
	// redirect is a shell redirection into an absolute path.
	redirect = regexp.MustCompile(`>>?\s*(/[^\s;&|>'"]*)`)
	// simpleCmd splits a shell command into its simple commands.
	simpleCmd = regexp.MustCompile(`&&|\|\||[;|]`)
)

// needsRoot is what a RUN does that only root may (a package manager, or a
// path it writes in a system folder: a redirection, touch, mkdir or tee's
// arguments, cp, mv or ln's destination), or "". A folder this stage's
// WORKDIR made after the USER belongs to that user (BuildKit creates it so).
func needsRoot(cmd string, t track) string {
	if m := rootInstall.FindString(cmd); m != "" {
		return m
	}
	var written []string
	for _, m := range redirect.FindAllStringSubmatch(cmd, -1) {
		written = append(written, m[1])
	}
	for _, c := range simpleCmd.Split(cmd, -1) {
		var args []string
		for _, f := range strings.Fields(c) {
			if !strings.HasPrefix(f, "-") {
				args = append(args, f)
			}
		}
		if len(args) < 2 {
			continue
		}
		switch args[0] {
		case "touch", "mkdir", "tee":
			written = append(written, args[1:]...)
		case "cp", "mv", "ln":
			written = append(written, args[len(args)-1])
		}
	}
	for _, w := range written {
		if !path.IsAbs(w) {
			continue
		}
		p := path.Clean(w)
		switch {
		case p == "/tmp" || strings.HasPrefix(p, "/tmp/") || strings.HasPrefix(p, "/var/tmp/") || strings.HasPrefix(p, "/dev/") || strings.HasPrefix(p, "/proc/") || strings.HasPrefix(p, "/home/"):
			continue
		case t.workdirLine > t.userLine && t.state.WorkdirSet && (p == t.state.Workdir || strings.HasPrefix(p, t.state.Workdir+"/")):
			continue
		}
		return p
	}
	return ""
}

// assignRe finds NAME in NAME=… at the start of a shell word, and in for
// NAME in / read NAME.
var assignRe = regexp.MustCompile(`(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=|\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b|\bread\s+(?:-\S+\s+)*([A-Za-z_][A-Za-z0-9_]*)`)

// assigned are the variables a shell command sets itself.
func assigned(cmd string) map[string]bool {
	out := map[string]bool{}
	for _, m := range assignRe.FindAllStringSubmatch(cmd, -1) {
		for _, n := range m[1:] {
			if n != "" {
				out[n] = true
			}
		}
	}
	return out
}
