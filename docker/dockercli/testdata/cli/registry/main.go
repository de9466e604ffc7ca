// Command registry serves layerlab's in-process registry (docker/mirror) on
// loopback and prints its address: record.sh pulls through it, standing in
// for Docker Hub on a machine without internet.
package main

import (
	"fmt"
	"os"
	"os/signal"

	"github.com/layerlab/layerlab/docker/mirror"
)

func main() {
	host, ln, err := mirror.Serve(mirror.Handler(""))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer ln.Close()
	fmt.Println(host)
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
}
