package golden_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mepkit/mepkit/internal/golden"
)

// recorder is a testing.TB that keeps what the helper reports.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "out.txt"), []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := &recorder{TB: t}
	golden.Check(ok, "out.txt", []byte("same\n"))
	if ok.failed {
		t.Error("equal output failed")
	}
	diff := &recorder{TB: t}
	golden.Check(diff, "out.txt", []byte("other\n"))
	if !diff.failed {
		t.Error("different output passed")
	}
	missing := &recorder{TB: t}
	golden.Check(missing, "none.txt", nil)
	if !missing.failed {
		t.Error("a missing golden file passed")
	}
}

// printer is a testing.TB that prints what the helper reports.
type printer struct{ testing.TB }

func (printer) Helper()                   {}
func (printer) Errorf(string, ...any)     { fmt.Println("the test fails: output differs") }
func (printer) Fatalf(f string, a ...any) { fmt.Println("the test stops") }

func ExampleCheck() {
	golden.Check(printer{}, "hello.txt", []byte("hello\n")) // testdata/hello.txt
	fmt.Println("checked")
	golden.Check(printer{}, "hello.txt", []byte("bye\n"))
	// Output:
	// checked
	// the test fails: output differs
}
