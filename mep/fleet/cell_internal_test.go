package fleet

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A name read from a record, which a record written before mep refused
// them may hold with control characters, prints in one Markdown cell:
// its pipe escaped, its line breaks, escape sequences and direction
// overrides as spaces.
func TestCellIsOnePrintableCell(t *testing.T) {
	assert.Equal(t, `a\|b c [2Kd e f`, cell(" a|b\nc\x1b[2Kd\u009be\u202ef\r\n"))
	assert.Equal(t, "Büro 2", cell("Büro 2"))
}
