package enum_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/enum"
)

type color uint8

var errBad = errors.New("paint: invalid input")

var colors = enum.Enum[color]{Package: "paint", Type: "Color", What: "color",
	Names: []string{"red", "green", "light-blue"}, Aliases: map[string]color{"": 0, "vert": 1}, Invalid: errBad}

func TestString(t *testing.T) {
	assert.Equal(t, "red", colors.String(0))
	assert.Equal(t, "light-blue", colors.String(2))
	assert.Equal(t, "Color(3)", colors.String(3))
	assert.Equal(t, "Color(255)", colors.String(255))
	assert.True(t, colors.Valid(2))
	assert.False(t, colors.Valid(3))
}

func TestMarshalText(t *testing.T) {
	b, err := colors.MarshalText(1)
	require.NoError(t, err)
	assert.Equal(t, "green", string(b))
	_, err = colors.MarshalText(7)
	assert.ErrorIs(t, err, errBad)
	assert.EqualError(t, err, "paint: invalid color 7")
	var ee *enum.Error
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "invalid color 7", ee.Message(), "the message without the prefix")
}

func TestParse(t *testing.T) {
	for in, want := range map[string]color{
		"red": 0, "GREEN": 1, " Light-Blue\t": 2, "": 0, "vert": 1, " VERT ": 1,
	} {
		got, err := colors.Parse(in)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
	for _, bad := range []string{"blue", "light blue", "red,green", "Color(1)", "1", "\x00red"} {
		_, err := colors.Parse(bad)
		assert.ErrorIs(t, err, errBad, "%q", bad)
		assert.EqualError(t, err, fmt.Sprintf("paint: unknown color %q (want red, green or light-blue)", bad))
	}
}

func TestUnmarshalText(t *testing.T) {
	c := color(2)
	require.NoError(t, colors.UnmarshalText(&c, []byte("Green")))
	assert.Equal(t, color(1), c)
	assert.Error(t, colors.UnmarshalText(&c, []byte("mauve")))
	assert.Equal(t, color(1), c, "unchanged on error")
}

func TestWant(t *testing.T) {
	one := enum.Enum[color]{Package: "p", What: "w", Names: []string{"only"}}
	_, err := one.Parse("x")
	assert.EqualError(t, err, `p: unknown w "x" (want only)`)
	assert.NoError(t, errors.Unwrap(err), "no sentinel given, none wrapped")
	two := enum.Enum[color]{Package: "p", What: "w", Names: []string{"a", "b"}}
	_, err = two.Parse("x")
	assert.EqualError(t, err, `p: unknown w "x" (want a or b)`)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"red", "GREEN", " light-blue ", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := colors.Parse(s)
		if err != nil {
			assert.ErrorIs(t, err, errBad)
			return
		}
		require.True(t, colors.Valid(v))
		b, err := colors.MarshalText(v)
		require.NoError(t, err)
		back, err := colors.Parse(string(b))
		require.NoError(t, err)
		assert.Equal(t, v, back, "a name reads back as its value")
	})
}

func ExampleEnum() {
	type level uint8
	levels := enum.Enum[level]{Package: "alert", Type: "Level", What: "level",
		Names: []string{"info", "warn", "page"}, Invalid: errors.New("alert: invalid input")}

	v, err := levels.Parse(" WARN ")
	fmt.Println(levels.String(v), err)
	_, err = levels.Parse("urgent")
	fmt.Println(err)
	fmt.Println(levels.String(9))
	// Output:
	// warn <nil>
	// alert: unknown level "urgent" (want info, warn or page)
	// Level(9)
}
