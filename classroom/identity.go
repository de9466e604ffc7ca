package classroom

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	gossh "golang.org/x/crypto/ssh"
)

// A learner the class lists without a key logs in the first time with the
// class passphrase, and that first login binds the name to them: to the
// SSH key their client proved it holds (ssh offers its keys before it asks
// for a password), else to a personal secret they choose then. From then on
// the name needs that key or that secret; the passphrase alone no longer
// lets anyone in as them. The instructor releases a name (serve --release
// NAME, or --reset NAME, which starts the learner afresh).

// binding is what a name is bound to, kept in the learner's folder.
type binding struct {
	// Keys are authorized_keys lines.
	Keys []string `json:"keys,omitempty"`
	// Salt and Hash: the personal secret, hashed with Argon2id.
	Salt  string    `json:"salt,omitempty"`
	Hash  string    `json:"hash,omitempty"`
	Since time.Time `json:"since"`
}

// MinSecret is the shortest personal secret a learner may choose.
const MinSecret = 8

// identities keeps the bindings of the learners' names (one file a learner,
// written whole under a lock: two first logins under one name at once bind
// it once).
type identities struct {
	dir func(name string) string
	mu  sync.Mutex
}

func (ids *identities) path(name string) string {
	return filepath.Join(ids.dir(name), "identity.json")
}

// get is name's binding (nil if the name is not bound). A file that cannot
// be read binds the name to nothing anyone has: the learner is refused,
// never let in on the passphrase alone.
func (ids *identities) get(name string) (*binding, error) {
	b, err := os.ReadFile(ids.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return &binding{}, err
	}
	var bd binding
	if err := json.Unmarshal(b, &bd); err != nil {
		return &binding{}, fmt.Errorf("%s: %w", ids.path(name), err)
	}
	return &bd, nil
}

// keyFits reports whether key is one name is bound to.
func (ids *identities) keyFits(name string, key gossh.PublicKey) bool {
	bd, _ := ids.get(name)
	if bd == nil {
		return false
	}
	want := key.Marshal()
	for _, line := range bd.Keys {
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err == nil && bytes.Equal(k.Marshal(), want) {
			return true
		}
	}
	return false
}

// secretFits reports whether secret is the one name is bound to.
func (ids *identities) secretFits(name, secret string) bool {
	bd, _ := ids.get(name)
	if bd == nil || bd.Hash == "" {
		return false
	}
	salt, err1 := base64.StdEncoding.DecodeString(bd.Salt)
	want, err2 := base64.StdEncoding.DecodeString(bd.Hash)
	if err1 != nil || err2 != nil {
		return false
	}
	return subtle.ConstantTimeCompare(hashSecret(secret, salt), want) == 1
}

func hashSecret(secret string, salt []byte) []byte {
	return argon2.IDKey([]byte(secret), salt, 2, 19*1024, 1, 32)
}

// errBound: the name was bound by another login meanwhile.
var errBound = errors.New("the name is bound already")

// bind binds an unbound name to key (non-nil) or to secret.
func (ids *identities) bind(name string, key gossh.PublicKey, secret string) error {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	if bd, err := ids.get(name); bd != nil || err != nil {
		return errBound
	}
	bd := binding{Since: time.Now().UTC()}
	if key != nil {
		bd.Keys = []string{strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key)))}
	} else {
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		bd.Salt = base64.StdEncoding.EncodeToString(salt)
		bd.Hash = base64.StdEncoding.EncodeToString(hashSecret(secret, salt))
	}
	b, err := json.MarshalIndent(bd, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(ids.dir(name), 0o700); err != nil {
		return err
	}
	tmp := ids.path(name) + ".new"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, ids.path(name))
}

// release unbinds name (the next login with the passphrase binds it anew).
func (ids *identities) release(name string) error {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	err := os.Remove(ids.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// throttle slows guessing: after a few wrong passphrases or secrets from one
// address or for one name, the next try waits, longer each time (up to
// throttleMax); a success clears them.
type throttle struct {
	mu  sync.Mutex
	m   map[string]*strikes
	now func() time.Time
	// freeAddr: wrong tries from one address before it waits (a whole
	// classroom behind one NAT shares one: its typos should not slow
	// everyone's first login); a name waits after throttleFree.
	freeAddr int
}

type strikes struct {
	n     int
	until time.Time
	last  time.Time
}

const (
	// throttleFree wrong tries for one name cost nothing (throttleFreeAddr
	// from one address); each one after waits twice as long as the one
	// before, from 2 s up to throttleMax.
	throttleFree     = 3
	throttleFreeAddr = 10
	throttleMax      = time.Minute
	// throttleForget: strikes this old are forgotten.
	throttleForget = 15 * time.Minute
)

func newThrottle(now func() time.Time) *throttle {
	if now == nil {
		now = time.Now
	}
	return &throttle{m: map[string]*strikes{}, now: now, freeAddr: throttleFreeAddr}
}

// wait is how long the longest of keys must still wait (0: they may try).
func (t *throttle) wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var d time.Duration
	for _, k := range keys {
		if s, ok := t.m[k]; ok {
			if now.Sub(s.last) > throttleForget {
				delete(t.m, k)
				continue
			}
			d = max(d, s.until.Sub(now))
		}
	}
	return max(d, 0)
}

// fail counts a wrong try against every key.
func (t *throttle) fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		s, ok := t.m[k]
		if !ok || now.Sub(s.last) > throttleForget {
			s = &strikes{}
			t.m[k] = s
		}
		s.n++
		s.last = now
		free := throttleFree
		if strings.HasPrefix(k, "a:") {
			free = t.freeAddr
		}
		if s.n >= free {
			s.until = now.Add(min(time.Second<<min(s.n-free+1, 30), throttleMax))
		}
	}
	// Bounded: an address that keeps changing cannot grow it for ever.
	if len(t.m) > 10000 {
		for k, s := range t.m {
			if now.Sub(s.last) > throttleForget || s.until.Before(now) {
				delete(t.m, k)
			}
		}
	}
}

// ok clears keys' strikes.
func (t *throttle) ok(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.m, k)
	}
}
