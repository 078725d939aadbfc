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
