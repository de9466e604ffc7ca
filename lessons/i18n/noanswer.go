package i18n

// NoAnswer is docker.KindNoAnswer as a learner reads it: the daemon took a
// call and did not answer it in time (frozen, overloaded), so nothing is
// known of what it did. The daemon said nothing: the words are layerlab's.
// Explain words it so for every front end.
func NoAnswer(t *Strings) Explanation {
	return Explanation{Title: t.Err.NoAnswerTitle, Plain: t.Err.NoAnswer, Todo: []string{t.Err.NoAnswerTodo}}
}
