package atomicfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mepkit/mepkit/internal/atomicfile"
)

func ExampleWriteFile() {
	dir, _ := os.MkdirTemp("", "atomicfile")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state.json")
	if err := atomicfile.WriteFile(path, []byte(`{"phase":"cutover"}`), 0o600); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(path)
	fmt.Println(string(data))
	// Output:
	// {"phase":"cutover"}
}
