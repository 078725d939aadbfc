package policyfile

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Names have the same fold key exactly when strings.EqualFold reports
// them equal, Unicode's odd foldings and invalid UTF-8 included.
func TestFoldKeyAgreesWithEqualFold(t *testing.T) {
	names := []string{
		"prod", "PROD", "Prod", "k", "K", "\u212a", "s", "S", "\u017f", "ß", "ẞ", "ss",
		"σ", "Σ", "ς", "i", "I", "İ", "ı", "\xff", "\xfe", "\ufffd", "", "prod\u212a", "prodk",
	}
	for _, a := range names {
		for _, b := range names {
			assert.Equal(t, strings.EqualFold(a, b), foldKey(a) == foldKey(b), "%q, %q", a, b)
		}
	}
}
