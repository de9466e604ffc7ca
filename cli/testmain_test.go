package cli

import (
	"os"
	"testing"

	"github.com/layerlab/layerlab/docker/dockertest"
)

// TestMain removes the test images left untagged (dockertest.SweepLeftovers).
func TestMain(m *testing.M) {
	code := m.Run()
	dockertest.SweepLeftovers()
	os.Exit(code)
}
