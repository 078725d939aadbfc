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
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError is JSON that encoding/json rejects, or a character that
// YAML refuses (a control character, invalid UTF-8), with where it is.
type SyntaxError struct {
	Line   int    // 1-based line of the error
	Column int    // 1-based column of the error, in characters (a tab counts one)
	Msg    string // what is wrong, e.g. "invalid character '}' looking for beginning of value"
}

// Error returns "line 3, column 7: " and the message.
func (e *SyntaxError) Error() string {
	s := "line " + strconv.Itoa(e.Line)
	if e.Column > 0 {
		s += ", column " + strconv.Itoa(e.Column)
	}
	return s + ": " + e.Msg
}

var bom = []byte("\xef\xbb\xbf")

// Is reports whether data is JSON rather than YAML: whether its first byte
// other than white space and a UTF-8 byte order mark is '{' or '['.
func Is(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, bom), " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// Prepare returns YAML (data that is not JSON, see [Is]) unchanged, once
// checked for the characters that YAML refuses and that its decoder
// reports without a line: control characters other than tab, line feed
// and carriage return, U+FFFE, U+FFFF, and invalid UTF-8 (a *[SyntaxError]
// with line and column). YAML in UTF-16, with its byte order mark, is left
// to the YAML decoder.
//
// JSON is checked with encoding/json, and invalid JSON gives a
// *[SyntaxError] with the line and column; for JSON cut short, the message
// names the object, array or string left open and where it opens. Valid
// JSON is returned as YAML that go.yaml.in/yaml/v3 reads to the same
// values, with the same line breaks, so that lines in the decoder's errors
// and nodes are those of data:
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
// The result may share memory with data. Prepare takes time linear in the
// size of data.
func Prepare(data []byte) ([]byte, error) {
	if !Is(data) {
		if err := checkYAML(data); err != nil {
			return nil, err
		}
		return data, nil
	}
	data = bytes.TrimPrefix(data, bom)
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw)
		if err == nil { // unreachable: json.Valid said no
			err = errors.New("json: invalid JSON")
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		pos := len(data)
		var se *json.SyntaxError
		switch {
		case !errors.As(err, &se):
		case se.Offset >= int64(len(data)) && strings.HasPrefix(msg, "invalid character ' ' in literal") &&
			data[len(data)-1] != ' ':
			// encoding/json's way of saying that a literal (true, null) is
			// cut short by the end of the input.
			msg = "unexpected end of JSON input: " + strings.TrimPrefix(msg, "invalid character ' ' in ")
			if open := unclosed(data); open != "" {
				msg += "; " + open
			}
		case strings.HasPrefix(msg, "unexpected end of JSON input"):
			if open := unclosed(data); open != "" {
				msg += ": " + open
			}
		default:
			pos = int(min(max(se.Offset-1, 0), int64(len(data)))) // the offending byte
		}
		line, col := position(data, pos)
		return nil, &SyntaxError{Line: line, Column: col, Msg: msg}
	}
	return rewrite(data), nil
}

// checkYAML returns a *SyntaxError for the first character of data that
// YAML refuses, or nil.
func checkYAML(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil // UTF-16
	}
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return refused(data, i, fmt.Sprintf("control character %U is not allowed", c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return refused(data, i, fmt.Sprintf("invalid UTF-8 (byte 0x%02X)", c))
		case r < 0xA0 && r != 0x85:
			return refused(data, i, fmt.Sprintf("control character %U is not allowed", r))
		case r == 0xFFFE || r == 0xFFFF:
			return refused(data, i, fmt.Sprintf("character %U is not allowed", r))
		}
		i += n
	}
	return nil
}

func refused(data []byte, i int, msg string) error {
	line, col := position(data, i)
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

// unclosed describes the innermost string, object or array that valid
// JSON cut short at its end leaves open: "the object opened at line 2,
// column 3 is not closed". It returns "" if there is none.
func unclosed(data []byte) string {
	var open []int // offsets of the '{' and '[' not closed yet
	str := -1      // offset of the quote of the string being read
	for i := 0; i < len(data); i++ {
		c := data[i]
		if str >= 0 {
			switch c {
			case '\\':
				i++
			case '"':
				str = -1
			}
			continue
		}
		switch c {
		case '"':
			str = i
		case '{', '[':
			open = append(open, i)
		case '}', ']':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	what, at := "", 0
	switch {
	case str >= 0:
		what, at = "string", str
	case len(open) > 0:
		at = open[len(open)-1]
		what = "object"
		if data[at] == '[' {
			what = "array"
		}
	default:
		return ""
	}
	line, col := position(data, at)
	return fmt.Sprintf("the %s opened at line %d, column %d is not closed", what, line, col)
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

// position returns the 1-based line and column, in characters, of the
// byte at offset i of data (i may be len(data): just past the end).
func position(data []byte, i int) (line, col int) {
	i = min(max(i, 0), len(data))
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	return bytes.Count(data[:start], []byte{'\n'}) + 1, utf8.RuneCount(data[start:i]) + 1
}

// DecodeError turns an error of the YAML decoder reading data, "yaml:
// line 3: ...", into a [*SyntaxError] with the line (no column: the
// decoder gives none) and the message without its prefix. The decoder
// names no line for an error on the first line (line 1), nor for an alias
// to an unknown anchor (the line of the alias); for the errors of its
// parser, as opposed to its scanner, it names the line before the one
// where the construct in error starts, and at the end of the file the line
// after the last one: the line given is never past the last line of data.
// The characters it refuses without a line have been checked before, by
// [Prepare].
func DecodeError(err error, data []byte) *SyntaxError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = n, tail
				if isParserError(msg) {
					line = min(line+1, lastLine(data))
				}
			}
		}
	} else if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		name, _, _ = strings.Cut(name, "' referenced")
		if i := bytes.Index(data, []byte("*"+name)); i >= 0 {
			line = bytes.Count(data[:i], []byte{'\n'}) + 1
		}
	}
	return &SyntaxError{Line: line, Msg: msg}
}

// isParserError reports whether msg is the problem of an error of the
// YAML parser, whose line the decoder counts from 0: the parser's
// messages, none of which its scanner uses.
func isParserError(msg string) bool {
	for _, p := range [...]string{
		"did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected key", "did not find expected node content",
		"found duplicate %TAG directive", "found duplicate %YAML directive",
		"found incompatible YAML document", "found undefined tag handle",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// lastLine returns the number of the last line of data, as YAML counts
// lines (line feed, carriage return, NEL, LS, PS): a line break at the end
// of data ends the last line rather than opening another.
func lastLine(data []byte) int {
	n, open := 1, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n', c == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			n, open = n+1, false
		case c == 0xc2 && i+1 < len(data) && data[i+1] == 0x85:
			n, open = n+1, false
			i++
		case c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			n, open = n+1, false
			i += 2
		default:
			open = true
		}
	}
	if !open && n > 1 {
		n--
	}
	return n
}
