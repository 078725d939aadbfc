package jsonyaml_test

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
)

func ExamplePrepare() {
	data := []byte(`{"name": "go\/no-go", "emoji": "\ud83d\ude80"}`)
	fmt.Println(jsonyaml.Is(data))
	prepared, err := jsonyaml.Prepare(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	var v map[string]string
	if err := yaml.Unmarshal(prepared, &v); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v["name"], v["emoji"])

	_, err = jsonyaml.Prepare([]byte("{\n  \"name\": \"x\",\n}"))
	fmt.Println(err)
	// Output:
	// true
	// go/no-go 🚀
	// line 3, column 1: invalid character '}' looking for beginning of object key string
}
