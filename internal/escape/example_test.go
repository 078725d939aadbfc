package escape_test

import (
	"fmt"

	"github.com/mepkit/mepkit/internal/escape"
)

func ExampleMarkdown() {
	fmt.Println(escape.Markdown("a|b <i>x</i>\nnext"))
	// Output:
	// a\|b &lt;i&gt;x&lt;/i&gt; next
}

func ExampleMermaid() {
	fmt.Println(escape.Mermaid("deploy: v2; #1"))
	// Output:
	// deploy#58; v2#59; #35;1
}
