package timeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscapeMarkdown(t *testing.T) {
	assert.Equal(t, `a\|b &lt;i&gt;x&lt;/i&gt; next`, escapeMarkdown("a|b <i>x</i>\nnext"))
}

func TestEscapeMermaid(t *testing.T) {
	assert.Equal(t, "deploy#58; v2#59; #35;1", escapeMermaid("deploy: v2; #1"))
}

// A name from a record written before Record refused control characters
// prints on one line, without the escape sequences or direction overrides
// it holds.
func TestEscapeNeutralisesControls(t *testing.T) {
	assert.Equal(t, `a \[2Kb c d e`, escapeMarkdown("a\x1b[2Kb\u009bc\u202ed\u2066e"))
	assert.Equal(t, "a [2Kb c d", escapeMermaid("a\x1b[2Kb\u009bc\u202ed"))
}
