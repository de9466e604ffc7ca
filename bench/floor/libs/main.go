// Command libs is the second start-up floor for bench/run.sh: the program
// of ../empty, linking every library layerlab links (the Charm libraries
// and their SSH server, the docker client, buildkit's parser, client and
// session, distribution's reference, the in-process registry, the
// compressors, the crypto) without using them, so that their loading and
// package initialisation is all it adds. What layerlab takes beyond this
// floor is its own. libs_test.go keeps the list whole.
package main

import (
	_ "charm.land/bubbles/v2/help"
	_ "charm.land/bubbles/v2/key"
	_ "charm.land/bubbles/v2/progress"
	_ "charm.land/bubbles/v2/spinner"
	_ "charm.land/bubbles/v2/textarea"
	_ "charm.land/bubbles/v2/textinput"
	_ "charm.land/bubbles/v2/viewport"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/glamour/v2"
	_ "charm.land/lipgloss/v2"
	_ "charm.land/ssh"
	_ "charm.land/wish/v2"
	_ "github.com/BurntSushi/toml"
	_ "github.com/agext/levenshtein"
	_ "github.com/charmbracelet/colorprofile"
	_ "github.com/charmbracelet/x/ansi"
	_ "github.com/charmbracelet/x/term"
	_ "github.com/containerd/errdefs"
	_ "github.com/distribution/reference"
	_ "github.com/docker/docker/api/types"
	_ "github.com/docker/docker/api/types/build"
	_ "github.com/docker/docker/api/types/container"
	_ "github.com/docker/docker/api/types/events"
	_ "github.com/docker/docker/api/types/filters"
	_ "github.com/docker/docker/api/types/image"
	_ "github.com/docker/docker/api/types/versions"
	_ "github.com/docker/docker/client"
	_ "github.com/docker/docker/pkg/jsonmessage"
	_ "github.com/docker/docker/pkg/stdcopy"
	_ "github.com/docker/go-units"
	_ "github.com/google/go-containerregistry/pkg/registry"
	_ "github.com/klauspost/compress/zstd"
	_ "github.com/moby/buildkit/api/services/control"
	_ "github.com/moby/buildkit/client"
	_ "github.com/moby/buildkit/frontend/dockerfile/instructions"
	_ "github.com/moby/buildkit/frontend/dockerfile/parser"
	_ "github.com/moby/buildkit/frontend/dockerfile/shell"
	_ "github.com/moby/buildkit/session"
	_ "github.com/moby/buildkit/session/filesync"
	_ "github.com/moby/buildkit/util/progress/progressui"
	_ "github.com/moby/patternmatcher"
	_ "github.com/moby/patternmatcher/ignorefile"
	_ "github.com/opencontainers/go-digest"
	_ "github.com/opencontainers/image-spec/identity"
	_ "github.com/spf13/pflag"
	_ "github.com/tonistiigi/fsutil"
	_ "github.com/tonistiigi/fsutil/types"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/crypto/ssh"
	_ "golang.org/x/sys/unix"

	"github.com/layerlab/layerlab/bench/floor/screen"
)

func main() { screen.Run() }
