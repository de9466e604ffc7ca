// Package engine is layerlab's lesson engine, with no screen: the state of
// each step, what running a step asks of the daemon and what its answer
// means, the exercises checked against the daemon's picture, the progress
// saved, and the lessons' workspaces.
//
// It talks to the daemon only through Daemon (which *docker.Client is), and
// never words a message: it gives codes with their arguments, and a front end
// (the terminal interface, plain mode, the classroom server) words them in
// the learner's language. It keeps no package-level mutable state: one
// process can hold many learners' sessions.
package engine
