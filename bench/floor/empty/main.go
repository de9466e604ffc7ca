// Command empty is a start-up floor for bench/run.sh: the emptiest Bubble
// Tea v2 program (../screen), drawing the first words layerlab's first frame
// draws. layerlab's start-up is measured against it in the same run.
package main

import "github.com/layerlab/layerlab/bench/floor/screen"

func main() { screen.Run() }
