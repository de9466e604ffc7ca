package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/layerlab/layerlab/docker"
	"github.com/layerlab/layerlab/lessons"
	"github.com/layerlab/layerlab/lessons/i18n"
)

// Config is $XDG_CONFIG_HOME/layerlab/config.toml; flags and environment
// variables override each key.
type Config struct {
	Lang           string `toml:"lang"`
	Theme          string `toml:"theme"`
	RegistryMirror string `toml:"registry_mirror"`
	Workspace      string `toml:"workspace"`
}

// configPath is the config file's path ("" without a home).
func configPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "layerlab", "config.toml")
}

// configError is a config file layerlab cannot use: unreadable (err), or
// with a key it does not know.
type configError struct {
	path, key string
	err       error
}

func (c *configError) Error() string {
	if c.key != "" {
		return fmt.Sprintf("config %s: unknown key %q", c.path, c.key)
	}
	return fmt.Sprintf("config %s: %v", c.path, c.err)
}

// wordConfigError words a configError in t's language.
func wordConfigError(t i18n.Strings, err error) error {
	var c *configError
	if !errors.As(err, &c) {
		return err
	}
	if c.key != "" {
		return errors.New(i18n.Tr(t.Cmd.ConfigKeyFmt, c.path, c.key))
	}
	return errors.New(i18n.Tr(t.Cmd.ConfigFmt, c.path, c.err))
}

// loadConfig reads the config file; a missing one is empty. A key it does not
// know is an error with its name, not silently ignored.
func loadConfig(path string) (Config, error) {
	var c Config
	if path == "" {
		return c, nil
	}
	md, err := toml.DecodeFile(path, &c)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return c, &configError{path: path, err: err}
	}
	if und := md.Undecoded(); len(und) > 0 {
		return c, &configError{path: path, key: und[0].String()}
	}
	return c, nil
}

// pick is the first non-empty of env, config and default.
func pick(env, cfg, def string) string {
	if env != "" {
		return env
	}
	if cfg != "" {
		return cfg
	}
	return def
}

// statePath is a file in layerlab's XDG state folder ($XDG_STATE_HOME/layerlab,
// by default ~/.local/state/layerlab): the ledger, the progress files.
func statePath(getenv func(string) string, name string) string {
	dir := getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "layerlab", name)
}

// newClient is a client for the daemon the docker CLI would use, keeping
// layerlab's ledger in the state folder.
func (e *env) newClient() (*docker.Client, error) {
	cli, err := docker.New(docker.ResolveEndpoint())
	if err != nil {
		return nil, err
	}
	cli.UseLedger(openLedger(e.t, statePath(e.getenv, "owned.json"), e.stderr))
	return cli, nil
}

// openLedger opens layerlab's record of what it made, saying so on w
// when a damaged one had to be set aside.
func openLedger(t i18n.Strings, path string, w io.Writer) *docker.Ledger {
	l := docker.OpenLedger(path)
	if aside := l.SetAside(); aside != "" {
		fmt.Fprintln(w, "layerlab:", i18n.Tr(t.LedgerSetAsideFmt, path, aside))
	}
	return l
}

// lessonSet is the lessons a command works with, by language: the built-in
// ones, or --lessons' pack; pack names it ("builtin", "pack-…": its progress
// file and workspace folder).
type lessonSet struct {
	byLang map[string][]*lessons.Lesson
	pack   string
	dir    string // the pack's folder, absolute ("" for the built-in lessons)
}

// lessons loads the built-in lessons, or --lessons' pack.
func (e *env) lessons() (lessonSet, error) {
	if e.packDir == "" {
		set := lessonSet{byLang: map[string][]*lessons.Lesson{}, pack: "builtin"}
		for _, l := range i18n.Codes() {
			ls, err := lessons.Builtin(l)
			if err != nil {
				return set, fmt.Errorf("lessons (%s): %w", l, err)
			}
			set.byLang[l] = ls
		}
		return set, nil
	}
	p, err := lessons.LoadPack(os.DirFS(e.packDir))
	if err != nil {
		return lessonSet{}, fmt.Errorf("%s:\n%s", i18n.Tr(e.t.PackInvalidFmt, e.packDir), i18n.LessonErrorText(&e.t, err))
	}
	abs, _ := filepath.Abs(e.packDir)
	sum := sha256.Sum256([]byte(abs))
	return lessonSet{byLang: p, pack: "pack-" + hex.EncodeToString(sum[:6]), dir: abs}, nil
}

// in are the set's lessons in lang, else in English (a pack without Korean).
func (s lessonSet) in(lang string) []*lessons.Lesson {
	if ls, ok := s.byLang[lang]; ok {
		return ls
	}
	return s.byLang[i18n.LangEnglish]
}

// all are the set's lessons in every language.
func (s lessonSet) all() [][]*lessons.Lesson {
	var sets [][]*lessons.Lesson
	for _, l := range i18n.Codes() {
		if ls, ok := s.byLang[l]; ok {
			sets = append(sets, ls)
		}
	}
	return sets
}

// progressPath is the file of the learner's progress through the set.
func (e *env) progressPath(s lessonSet) string {
	return statePath(e.getenv, "progress-"+s.pack+".json")
}

// isTerminal reports whether w is a character device (a terminal, not a pipe or file).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// signalNotify is ctx, done at ctrl+c (SIGINT).
func signalNotify(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt)
}
