// Package golden compares what a test produced with a file under
// testdata, for the tests of this module. Run a package's tests with
// -update to rewrite its golden files from what they produce.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// Check compares got with the file testdata/name, after rewriting the file
// with got when the test binary runs with -update. A difference fails the
// test and shows both texts.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run go test -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("golden: %s differs from what the test produced (go test -update rewrites it)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
