package classroom

import (
	"bufio"
	"crypto/subtle"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/layerlab/layerlab/docker/engines"
)

// Class is who may log in: the learners by name, each with the SSH public
// keys they log in with, or the class passphrase the instructor announces.
//
// The class file (--class FILE), one learner a line, # starts a comment:
//
//	passphrase: correct horse battery
//	alice ssh-ed25519 AAAAC3Nza… alice@laptop
//	bob
//
// alice logs in with her key; bob, who has none listed, with the passphrase.
type Class struct {
	Learners   map[string][]ssh.PublicKey
	Passphrase string
}

// Names are the learners' names, sorted.
func (c Class) Names() []string {
	var out []string
	for n := range c.Learners {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// ClassError is a line of a class file that cannot be read.
type ClassError struct {
	File string
	Line int
	// Code: "name" (not a learner's name), "key" (not a public key),
	// "twice" (a name listed twice), "empty" (no learner at all),
	// "nopass" (a learner without a key and no passphrase).
	Code, Text string
}

func (e *ClassError) Error() string {
	return fmt.Sprintf("%s:%d: %s %q", e.File, e.Line, e.Code, e.Text)
}

// ReadClass reads a class file.
func ReadClass(path string) (Class, error) {
	f, err := os.Open(path)
	if err != nil {
		return Class{}, err
	}
	defer f.Close()
	return ParseClass(path, f)
}

// ParseClass reads a class file's text (name is its name in errors).
func ParseClass(name string, r io.Reader) (Class, error) {
	c := Class{Learners: map[string][]ssh.PublicKey{}}
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	n, keyless := 0, 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "passphrase:"); ok {
			c.Passphrase = strings.TrimSpace(rest)
			continue
		}
		learner, key, _ := strings.Cut(line, " ")
		if !engines.ValidName(learner) {
			return c, &ClassError{File: name, Line: n, Code: "name", Text: learner}
		}
		if _, dup := c.Learners[learner]; dup {
			return c, &ClassError{File: name, Line: n, Code: "twice", Text: learner}
		}
		var keys []ssh.PublicKey
		if key = strings.TrimSpace(key); key != "" {
			pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(key))
			if err != nil {
				return c, &ClassError{File: name, Line: n, Code: "key", Text: key}
			}
			keys = append(keys, pk)
		} else {
			keyless++
		}
		c.Learners[learner] = keys
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	if len(c.Learners) == 0 {
		return c, &ClassError{File: name, Line: n, Code: "empty"}
	}
	if keyless > 0 && c.Passphrase == "" {
		return c, &ClassError{File: name, Line: n, Code: "nopass"}
	}
	return c, nil
}

// KeyFits reports whether key is one of learner's.
func (c Class) KeyFits(learner string, key ssh.PublicKey) bool {
	for _, k := range c.Learners[learner] {
		if ssh.KeysEqual(k, key) {
			return true
		}
	}
	return false
}

// PassFits reports whether pass is the class passphrase, for a learner the
// class lists without a key.
func (c Class) PassFits(learner, pass string) bool {
	keys, ok := c.Learners[learner]
	return ok && len(keys) == 0 && c.Passphrase != "" &&
		subtle.ConstantTimeCompare([]byte(pass), []byte(c.Passphrase)) == 1
}
