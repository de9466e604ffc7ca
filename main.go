// Command layerlab teaches how Docker images and containers really work, by
// running the real operations on your own daemon and showing the layers live.
// Its commands live in package cli; this is the entrypoint.
package main

import (
	"context"
	"os"
	"runtime/pprof"

	"github.com/layerlab/layerlab/cli"
)

func main() {
	stop := profile()
	code := cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// profile writes pprof profiles for maintainers (docs/performance.md):
// LAYERLAB_CPUPROFILE=FILE profiles the whole run, LAYERLAB_MEMPROFILE=FILE
// writes the heap when layerlab ends.
func profile() func() {
	var stop []func()
	if path := os.Getenv("LAYERLAB_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			stop = append(stop, func() { pprof.StopCPUProfile(); f.Close() })
		}
	}
	if path := os.Getenv("LAYERLAB_MEMPROFILE"); path != "" {
		stop = append(stop, func() {
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		})
	}
	return func() {
		for _, f := range stop {
			f()
		}
	}
}
