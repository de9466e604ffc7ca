package i18n

// InClassroom are t's words for a learner of a classroom (`layerlab
// serve`), in the app and in the second session alike: the refusals of the
// `:` line and of the second session cannot send the learner to "your own
// terminal", there is none; the classroom's docker is the one they have.
func (t Strings) InClassroom() Strings {
	t.CmdHostFmt, t.CmdTerminalFmt, t.CmdNotOnLineFmt = t.Serve.HostFmt, t.Serve.TerminalFmt, t.Serve.NotOnLineFmt
	return t
}
