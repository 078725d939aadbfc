package jsonstr_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/jsonstr"
)

func TestAppendEscapesAsEncodingJSON(t *testing.T) {
	for s, want := range map[string]string{
		"":                   `""`,
		"<b> & \"c\" \\":     `"\u003cb\u003e \u0026 \"c\" \\"`,
		"\x00\b\f\n\r\t\x1f": `"\u0000\b\f\n\r\t\u001f"`,
		"\u2028\u2029":       `"\u2028\u2029"`,
		"\xff é":             `"\ufffd é"`,
	} {
		assert.Equal(t, want, string(jsonstr.Append(nil, s)), "%q", s)
	}
	assert.Equal(t, `x"a"`, string(jsonstr.Append([]byte("x"), "a")), "appends")
}

// FuzzAppend checks that Append writes every string as encoding/json does.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "a", "<b> & \"c\" \\", "\x00\x01\b\f\n\r\t\x1f\x7f", "\u2028\u2029\u00e9\U0001F600", "\xff\xfe bad \xc3", "\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 128 {
			// Strings are escaped rune by rune; long ones only make the
			// engine's minimisation of new inputs stand still.
			t.Skip("long input")
		}
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(jsonstr.Append(nil, s)))
	})
}
