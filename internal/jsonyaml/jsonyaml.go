// Package jsonyaml prepares JSON text for the YAML decoder, line for line.
//
// JSON is almost YAML: a file of either kind can then go through one
// decoder, which reports lines and rejects unknown fields. The differences
// that matter are handled by [Prepare]: tabs as indentation, the escapes
// "\/" and surrogate pairs ("\ud83d\ude00"), and raw characters that YAML
// forbids or reads as line breaks inside strings.
package jsonyaml

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError is JSON that encoding/json rejects.
type SyntaxError struct {
	Line int    // 1-based line of the error
	Msg  string // what is wrong, e.g. "invalid character '}' looking for beginning of value"
}

func (e *SyntaxError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

var bom = []byte("\xef\xbb\xbf")

// Is reports whether data is JSON rather than YAML: whether its first byte
// other than white space and a UTF-8 byte order mark is '{' or '['.
func Is(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, bom), " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// Prepare returns data unchanged when it is not JSON (see [Is]). JSON is
// checked with encoding/json, and invalid JSON gives a *[SyntaxError] with
// the line. Valid JSON is returned as YAML that go.yaml.in/yaml/v3 reads
// to the same values, with the same line breaks, so that lines in the
// decoder's errors and nodes are those of data:
//
//   - a byte order mark is dropped, and outside strings tabs and lone
//     carriage returns become spaces;
//   - in strings, "\/" becomes "/"; a surrogate pair "\uD83D\uDE00"
//     becomes "\U0001F600"; a lone surrogate becomes "\uFFFD", as
//     encoding/json reads it;
//   - in strings, invalid UTF-8 becomes "\uFFFD", and raw characters that
//     YAML forbids (DEL, C1 controls, U+FFFE, U+FFFF) or takes for line
//     breaks (U+0085, U+2028, U+2029) or a byte order mark (U+FEFF) are
//     written as escapes.
//
// The result may share memory with data.
func Prepare(data []byte) ([]byte, error) {
	if !Is(data) {
		return data, nil
	}
	data = bytes.TrimPrefix(data, bom)
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = lineAt(data, se.Offset)
		}
		if err == nil { // unreachable: json.Valid said no
			err = errors.New("json: invalid JSON")
		}
		return nil, &SyntaxError{Line: max(line, 1), Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
	return rewrite(data), nil
}

// rewrite turns valid JSON into YAML as Prepare says. It copies data only
// when something changes.
func rewrite(data []byte) []byte {
	var out []byte // nil until the first change
	done := 0      // data[:done] is in out
	edit := func(i, n int, repl string) {
		if out == nil {
			out = make([]byte, 0, len(data)+16)
		}
		out = append(out, data[done:i]...)
		out = append(out, repl...)
		done = i + n
	}
	inString := false
	for i := 0; i < len(data); {
		c := data[i]
		if !inString {
			switch {
			case c == '"':
				inString = true
			case c == '\t':
				edit(i, 1, " ")
			case c == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
				edit(i, 1, " ")
			}
			i++
			continue
		}
		switch {
		case c == '"':
			inString = false
			i++
		case c == '\\':
			switch data[i+1] {
			case '/':
				edit(i, 2, "/")
				i += 2
			case 'u':
				u := hex4(data[i+2 : i+6])
				switch {
				case u >= 0xD800 && u < 0xDC00 && i+12 <= len(data) && data[i+6] == '\\' && data[i+7] == 'u' &&
					isLow(hex4(data[i+8:i+12])):
					r := 0x10000 + (u-0xD800)<<10 + (hex4(data[i+8:i+12]) - 0xDC00)
					edit(i, 12, escape(r))
					i += 12
				case u >= 0xD800 && u < 0xE000:
					edit(i, 6, `\uFFFD`)
					i += 6
				default:
					i += 6
				}
			default:
				i += 2 // \" \\ \b \f \n \r \t mean the same in YAML
			}
		case c < utf8.RuneSelf:
			if c == 0x7f {
				edit(i, 1, escape(0x7f))
			}
			i++
		default:
			r, n := utf8.DecodeRune(data[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				edit(i, 1, `\uFFFD`)
			case r >= 0x80 && r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF, r == 0xFFFE, r == 0xFFFF:
				edit(i, n, escape(r))
			}
			i += n
		}
	}
	if out == nil {
		return data
	}
	return append(out, data[done:]...)
}

// hex4 reads four hexadecimal digits, which valid JSON guarantees.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

func isLow(u rune) bool { return u >= 0xDC00 && u < 0xE000 }

// escape writes r as a YAML double-quoted escape.
func escape(r rune) string {
	const digits = "0123456789ABCDEF"
	if r > 0xFFFF {
		b := []byte(`\U00000000`)
		for i := 9; i >= 2; i-- {
			b[i] = digits[r&0xF]
			r >>= 4
		}
		return string(b)
	}
	b := []byte(`\u0000`)
	for i := 5; i >= 2; i-- {
		b[i] = digits[r&0xF]
		r >>= 4
	}
	return string(b)
}

// lineAt returns the 1-based line of a byte offset.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte{'\n'}) + 1
}
