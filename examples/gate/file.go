package main

import (
	"io/fs"
	"os"
)

// regular refuses a path that exists and is not a regular file, as the
// journal example does: a named pipe would block gate on its open (past
// -max, for a -wait), a device would feed it forever or nothing, and a
// directory fails with an obscure read error. A path that does not
// exist, or cannot be looked at, is left to the read that follows, which
// names the problem. flag is the flag that names the file.
func regular(flag, path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().IsRegular() {
		return nil
	}
	what := "not a regular file"
	switch m := fi.Mode(); {
	case m.IsDir():
		what = "not a regular file: a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "not a regular file: a named pipe"
	case m&fs.ModeSocket != 0:
		what = "not a regular file: a socket"
	case m&fs.ModeDevice != 0:
		what = "not a regular file: a device"
	}
	return badf("%s %s: %s", flag, path, what)
}
