package lessons

import "fmt"

// Code names a problem of a lesson or a pack, or a reason a step key is
// refused (an argument of CodeForbiddenKey): the front ends word it
// (lessons/i18n, by the code, with the Error's Args); Format is its
// English, which Error() says.
type Code string

// The problems Parse, LoadPack and Validate report.
const (
	CodeTooLarge              Code = "too-large"
	CodeNotUTF8               Code = "not-utf8"
	CodeLineTooLong           Code = "line-too-long"
	CodeNestedTooDeep         Code = "nested-too-deep"
	CodeNoFrontMatter         Code = "no-front-matter"
	CodeFrontMatterLine       Code = "front-matter-line"
	CodeBadID                 Code = "bad-id"
	CodeUnknownFrontMatterKey Code = "unknown-front-matter-key"
	CodeFrontMatterOpen       Code = "front-matter-open"
	CodeNoID                  Code = "no-id"
	CodeNoTitle               Code = "no-title"
	CodeStepBlockOpen         Code = "step-block-open"
	CodeStepLine              Code = "step-line"
	CodeUnknownKind           Code = "unknown-kind"
	CodeStepNeedsValue        Code = "step-needs-value"
	CodeForbiddenKey          Code = "forbidden-key"
	CodeUnknownStepKey        Code = "unknown-step-key"
	CodeBadExpect             Code = "bad-expect"
	CodeBadBuilder            Code = "bad-builder"
	CodeBadAppendText         Code = "bad-append-text"
	CodeBadVolume             Code = "bad-volume"
	CodeEmptyStep             Code = "empty-step"
	CodeBadCheck              Code = "bad-check"
	CodePathOutside           Code = "path-outside"
	CodeStepNeedsKey          Code = "step-needs-key"
	CodeDuplicateID           Code = "duplicate-id"
	CodeNoLessons             Code = "no-lessons"
	CodeNoKorean              Code = "no-korean"
	CodeOtherSteps            Code = "other-steps"
	CodeNoEnglish             Code = "no-english"
	CodeSymbolicLink          Code = "symbolic-link"
	CodeOther                 Code = "other"
	CodeReasonMount           Code = "reason-mount"
	CodeReasonPrivileged      Code = "reason-privileged"
	CodeReasonCaps            Code = "reason-caps"
	CodeReasonDevices         Code = "reason-devices"
	CodeReasonNetwork         Code = "reason-network"
	CodeReasonPID             Code = "reason-pid"
	CodeReasonIPC             Code = "reason-ipc"
	CodeReasonUser            Code = "reason-user"
	CodeReasonSecurity        Code = "reason-security"
	CodeReasonContext         Code = "reason-context"
)

// Codes are every code, for a front end's check that it words them all.
func Codes() []Code {
	return []Code{
		CodeTooLarge,
		CodeNotUTF8,
		CodeLineTooLong,
		CodeNestedTooDeep,
		CodeNoFrontMatter,
		CodeFrontMatterLine,
		CodeBadID,
		CodeUnknownFrontMatterKey,
		CodeFrontMatterOpen,
		CodeNoID,
		CodeNoTitle,
		CodeStepBlockOpen,
		CodeStepLine,
		CodeUnknownKind,
		CodeStepNeedsValue,
		CodeForbiddenKey,
		CodeUnknownStepKey,
		CodeBadExpect,
		CodeBadBuilder,
		CodeBadAppendText,
		CodeBadVolume,
		CodeEmptyStep,
		CodeBadCheck,
		CodePathOutside,
		CodeStepNeedsKey,
		CodeDuplicateID,
		CodeNoLessons,
		CodeNoKorean,
		CodeOtherSteps,
		CodeNoEnglish,
		CodeSymbolicLink,
		CodeOther,
		CodeReasonMount,
		CodeReasonPrivileged,
		CodeReasonCaps,
		CodeReasonDevices,
		CodeReasonNetwork,
		CodeReasonPID,
		CodeReasonIPC,
		CodeReasonUser,
		CodeReasonSecurity,
		CodeReasonContext,
	}
}

// Format is the code's English, a fmt format for the Error's Args.
func (c Code) Format() string {
	switch c {
	case CodeTooLarge:
		return "the lesson is %d KB: a lesson file may be at most %d KB (split it into several lessons)"
	case CodeNotUTF8:
		return "this is not valid UTF-8 text: save the file as UTF-8"
	case CodeLineTooLong:
		return "the line is %d bytes long: a line may be at most %d"
	case CodeNestedTooDeep:
		return "quotes and lists nest %d deep here: at most %d levels"
	case CodeNoFrontMatter:
		return "a lesson starts with front matter: a line '---', then 'id: …' and 'title: …', then '---'"
	case CodeFrontMatterLine:
		return "front matter lines are 'key: value', got %q"
	case CodeBadID:
		return "id %q: use lowercase letters, digits and '-'"
	case CodeUnknownFrontMatterKey:
		return "unknown front matter key %q (known: id, title, image)"
	case CodeFrontMatterOpen:
		return "front matter is not closed with '---'"
	case CodeNoID:
		return "front matter has no 'id'"
	case CodeNoTitle:
		return "front matter has no 'title'"
	case CodeStepBlockOpen:
		return "step block is not closed with ```"
	case CodeStepLine:
		return "step lines are 'key: value', got %q"
	case CodeUnknownKind:
		return "unknown step kind %q (known: %s)"
	case CodeStepNeedsValue:
		return "step %q needs a value, e.g. '%s: busybox'"
	case CodeForbiddenKey:
		return "step key %q is not allowed: %s"
	case CodeUnknownStepKey:
		return "unknown step key %q for %s (known: %s)"
	case CodeBadExpect:
		return "expect %q: a step can expect 'conflict', 'build-failed' or 'fail' (a command that exits non-zero)"
	case CodeBadBuilder:
		return "builder %q: a build step uses 'buildkit' (the default) or 'classic'"
	case CodeBadAppendText:
		return "text %q: with $(date) in it, the text is shown in double quotes and may hold no other \", $, `, \\ or !"
	case CodeBadVolume:
		return "volume %q: a run step mounts a volume as NAME:/path, or a folder of the lesson's workspace as ./dir:/path"
	case CodeEmptyStep:
		return "empty step block: its first line names the kind, e.g. 'pull: busybox'"
	case CodeBadCheck:
		return "check %q: use image REF, container IMAGE, committed REF BASE, removed REF, built REF FILE, smaller REF SIZE (SIZE as docker images prints it: 5MB), whiteout REF PATH, reloaded REF, volume NAME or mounted NAME"
	case CodePathOutside:
		return "%s step: %q must be a path inside the lesson's workspace (relative, no '..')"
	case CodeStepNeedsKey:
		return "%s step needs '%s: …'"
	case CodeDuplicateID:
		return "id %q is already used by %s"
	case CodeNoLessons:
		return "no lessons: a pack holds en/*.md files"
	case CodeNoKorean:
		return "lesson %q has no Korean variant in ko/ (same id, same steps)"
	case CodeOtherSteps:
		return "the Korean variant of %q runs other steps than the English one: %v"
	case CodeNoEnglish:
		return "lesson %q has no English variant"
	case CodeSymbolicLink:
		return "is a symbolic link: a pack's workspace may hold only plain files and folders (a link could reach any file on the machine)"
	case CodeOther:
		return "%v"
	case CodeReasonMount:
		return "a lesson cannot mount folders of the host into a container"
	case CodeReasonPrivileged:
		return "a lesson cannot run a privileged container"
	case CodeReasonCaps:
		return "a lesson cannot give a container extra capabilities"
	case CodeReasonDevices:
		return "a lesson cannot give a container the host's devices"
	case CodeReasonNetwork:
		return "a lesson cannot choose the host's network; containers use the default one"
	case CodeReasonPID:
		return "a lesson cannot share the host's processes with a container"
	case CodeReasonIPC:
		return "a lesson cannot share the host's IPC with a container"
	case CodeReasonUser:
		return "a lesson cannot choose the user a container runs as"
	case CodeReasonSecurity:
		return "a lesson cannot change a container's security options"
	case CodeReasonContext:
		return "a build's context is the lesson's own folder, nothing else"
	}
	return string(c)
}

// Error is one problem of a lesson or a pack, at its place: a code and its
// arguments (an argument may be a Code: a reason, worded as one).
type Error struct {
	File      string
	Line, Col int
	Code      Code
	Args      []any
}

// newError is an Error of code at file:line:col.
func newError(file string, line, col int, code Code, args ...any) *Error {
	return &Error{File: file, Line: line, Col: col, Code: code, Args: args}
}

// Msg is the problem in English.
func (e *Error) Msg() string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if c, ok := a.(Code); ok {
			a = c.Format()
		}
		args[i] = a
	}
	return fmt.Sprintf(e.Code.Format(), args...)
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg())
}
