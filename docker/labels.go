package docker

import (
	"crypto/rand"
	"encoding/hex"
)

// Labels on the containers layerlab runs and the images it commits. Docker
// copies them to whatever is made from those (a learner's container run from
// a lesson image, a commit of it, a build FROM it), so they never decide
// ownership: the Ledger does. They serve two things only: finding the object
// of an operation whose answer never came (LabelOp, with the ledger's pending
// record), and telling a learner whose ledger was lost what may be
// layerlab's ("not recorded: may be yours"). Builds add none: a LABEL would
// be a step the learner did not write.
const (
	LabelOwned  = "org.layerlab.owned"
	LabelLesson = "org.layerlab.lesson"
	// LabelOp is the id of the operation that made the object.
	LabelOp = "org.layerlab.op"
)

// OwnedLabels are the labels for an object made by the given lesson.
func OwnedLabels(lesson string) map[string]string {
	l := map[string]string{LabelOwned: "true"}
	if lesson != "" {
		l[LabelLesson] = lesson
	}
	return l
}

// opLabels are OwnedLabels plus a new operation id, which they return too.
func opLabels(lesson string) (map[string]string, string) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	op := hex.EncodeToString(b[:])
	l := OwnedLabels(lesson)
	l[LabelOp] = op
	return l, op
}

// opLabels are the labels of what the client makes: layerlab's (with a new
// op id), none for the learner's own commands (AsLearner).
func (c *Client) opLabels(lesson string) (map[string]string, string) {
	l, op := opLabels(lesson)
	if c.learner {
		return nil, op
	}
	return l, op
}

// commitComment is the comment a commit leaves in the image's history: the
// lesson's, none for the learner's own (as the docker CLI leaves none).
func (c *Client) commitComment(lesson string) string {
	if c.learner {
		return ""
	}
	return "layerlab lesson " + lesson
}
