package main

import (
	"fmt"
	"io/fs"
	"os"
)

// regular refuses a path that exists and is not a regular file: a named
// pipe or a device would block the command on its first read (or feed
// it forever), and a journal, a checkpoint or a key is a file. A path
// that does not exist, or cannot be looked at, is left to the read that
// follows, which names the problem.
func regular(path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().IsRegular() {
		return nil
	}
	what := "not a regular file"
	switch m := fi.Mode(); {
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("%s is %s, not a file", path, what)
}
