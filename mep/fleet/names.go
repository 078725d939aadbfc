package fleet

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mepkit/mepkit/timeline"
)

// printable returns s as it is when it prints safely on one line, and
// quoted, as strconv.Quote does, when it holds a control character (a
// line break, a carriage return, a tab, ESC and the terminal sequences
// it starts, a C1 control), a line or paragraph separator, a direction
// override, or invalid UTF-8: a directory or a file named to forge a
// line of an error or a log then shows its name escaped.
func printable(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, timeline.BreaksLine) < 0 {
		return s
	}
	return strconv.Quote(s)
}

// pathError is an error about the file or directory at path, whose text
// names it as printable does. It wraps err, the error it reports: an
// *fs.PathError keeps its path as it is for errors.As.
type pathError struct {
	path string
	err  error
}

// fileErr returns err, an error about path, as a *pathError.
func fileErr(path string, err error) error { return &pathError{path: path, err: err} }

func (e *pathError) Error() string {
	if pe := (*fs.PathError)(nil); errors.As(e.err, &pe) && pe.Path == e.path {
		// "open PATH: permission denied", as the os package says it.
		return "fleet: " + pe.Op + " " + printable(pe.Path) + ": " + pe.Err.Error()
	}
	return "fleet: " + printable(e.path) + ": " + e.err.Error()
}

// Unwrap returns the error reported.
func (e *pathError) Unwrap() error { return e.err }
