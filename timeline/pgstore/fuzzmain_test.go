package pgstore

import (
	"testing"

	"github.com/mepkit/mepkit/internal/fuzzing"
)

// TestMain bounds the fuzzing engine's minimisation of each new input.
func TestMain(m *testing.M) { fuzzing.Main(m) }
