package policyfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
	"github.com/mepkit/mepkit/policy"
)

// DefaultMaxSize is the largest policy file read when [Options.MaxSize]
// is zero: 1 MiB, a thousand times a file that lists every kind.
const DefaultMaxSize = 1 << 20

// Options tune the reading of a policy file. A nil *Options or the zero
// Options means defaults.
type Options struct {
	// MaxSize is the largest file accepted, in bytes; zero or negative:
	// DefaultMaxSize. A larger file is refused at once with [ErrTooLarge],
	// before it is read whole or parsed. Within the limit, parsing takes
	// time and memory in proportion to the size.
	MaxSize int64
}

func (o *Options) maxSize() int64 {
	if o == nil || o.MaxSize <= 0 {
		return DefaultMaxSize
	}
	return o.MaxSize
}

// File is a parsed policy file.
type File struct {
	// Zone is the file's top-level zone; nil when the file names none
	// (every calendar policy then names its own). A program reads local
	// times in it (a planned start, say) and sets it as the
	// [policy.Change.Location] of its changes.
	Zone *time.Location
	// Set holds the policies, in file order. Policies without a zone of
	// their own (readiness, require-go, max-outage) are wrapped in
	// [policy.In] with the policy's or the file's zone, so every reason of
	// the Set reads in one zone.
	Set policy.Set
}

// Parse reads a policy file, YAML or JSON, with the default [Options], and
// returns its policies in file order. It is Decode(data, nil).Set.
func Parse(data []byte) (policy.Set, error) {
	f, err := Decode(data, nil)
	return f.Set, err
}

// Decode reads a policy file, YAML or JSON, held in data, and returns its
// policies and its zone. A file that cannot be used gives an *[ErrorList]
// with every problem found (up to [MaxErrors]), each an *[Error] with the
// line and the field; data over [Options.MaxSize] gives one wrapping
// [ErrTooLarge].
func Decode(data []byte, opts *Options) (File, error) {
	if limit := opts.maxSize(); int64(len(data)) > limit {
		return File{}, tooLarge("", int64(len(data)), limit)
	}
	f, errs := decode(data)
	if errs != nil {
		return File{}, errs
	}
	return f, nil
}

// ReadFile reads the policy file at path, as [Decode] does. A file larger
// than [Options.MaxSize] is refused before it is read. An *[ErrorList] from
// ReadFile has the path.
func ReadFile(path string, opts *Options) (File, error) {
	limit := opts.maxSize()
	fh, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("policyfile: %w", err)
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return File{}, tooLarge(path, st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return File{}, fmt.Errorf("policyfile: %w", err)
	}
	if int64(len(data)) > limit {
		return File{}, tooLarge(path, int64(len(data)), limit)
	}
	f, errs := decode(data)
	if errs != nil {
		errs.Path = path
		return File{}, errs
	}
	return f, nil
}

func tooLarge(path string, size, limit int64) *ErrorList {
	what := strconv.FormatInt(size, 10) + " bytes"
	if path != "" && size == limit+1 {
		what = "more than " + strconv.FormatInt(limit, 10) + " bytes"
	}
	return &ErrorList{Path: path, Errors: []*Error{{
		Err: fmt.Errorf("%w: %s, over the limit of %d bytes (raise Options.MaxSize to read it)", ErrTooLarge, what, limit),
	}}}
}

// decode parses data, collecting every problem it can find.
func decode(data []byte) (File, *ErrorList) {
	p := &parser{}
	if jsonyaml.Is(data) {
		// JSON is checked as JSON, then read as the YAML it also is.
		var err error
		if data, err = jsonyaml.Prepare(data); err != nil {
			var se *jsonyaml.SyntaxError
			if errors.As(err, &se) {
				p.add(&Error{Line: se.Line, Column: se.Column, Err: fmt.Errorf("%w: %s", ErrSyntax, se.Msg)})
			} else {
				p.add(&Error{Err: fmt.Errorf("%w: %w", ErrSyntax, err)})
			}
			return File{}, p.list()
		}
	} else if line, col, what := badChar(data); line > 0 {
		// The YAML decoder reports these without a line.
		p.add(&Error{Line: line, Column: col, Err: fmt.Errorf("%w: %s", ErrSyntax, what)})
		return File{}, p.list()
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		p.add(yamlError(err))
		return File{}, p.list()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.add(&Error{Err: errors.New("empty file, want zone and policies")})
		return File{}, p.list()
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			p.add(yamlError(err))
		} else {
			p.add(&Error{Line: next.Line, Err: fmt.Errorf("%w: a second document; a file holds one set of policies", ErrSyntax)})
		}
		return File{}, p.list()
	}
	set := p.file(doc.Content[0])
	if errs := p.list(); errs != nil {
		return File{}, errs
	}
	return File{Zone: p.zone, Set: set}, nil
}

// badChar finds the first character that YAML does not allow (control
// characters, invalid UTF-8) and returns its line, its column and what it
// is; line 0 when there is none.
func badChar(data []byte) (line, col int, what string) {
	line, start := 1, 0
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				line, start = line+1, i+1
			case c < 0x20 && c != '\t' && c != '\r', c == 0x7f:
				return line, utf8.RuneCount(data[start:i]) + 1, fmt.Sprintf("control character %U is not allowed", c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return line, utf8.RuneCount(data[start:i]) + 1, fmt.Sprintf("invalid UTF-8 (byte %#x); policy files are UTF-8", c)
		case r < 0xA0 && r != 0x85, r == 0xFFFE, r == 0xFFFF:
			return line, utf8.RuneCount(data[start:i]) + 1, fmt.Sprintf("control character %U is not allowed", r)
		}
		i += n
	}
	return 0, 0, ""
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError turns an error of the YAML decoder, "yaml: line 3: ...", into
// an *Error with the line.
func yamlError(err error) *Error {
	e := &Error{Err: fmt.Errorf("%w: %s", ErrSyntax, yamlLine.ReplaceAllString(err.Error(), ""))}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
	}
	return e
}

// parser reads the nodes of a file and collects its problems.
type parser struct {
	zone    *time.Location // the file's
	badZone bool           // the file's zone was given but is unusable
	errs    []*Error
	more    int
}

// add records a problem.
func (p *parser) add(e *Error) {
	if len(p.errs) < MaxErrors {
		p.errs = append(p.errs, e)
	} else {
		p.more++
	}
}

// fail records the problem err at node n, field.
func (p *parser) fail(n *yaml.Node, field string, err error) {
	p.add(&Error{Line: n.Line, Column: n.Column, Field: field, Err: err})
}

// failf records a problem at node n, field.
func (p *parser) failf(n *yaml.Node, field, format string, args ...any) {
	p.fail(n, field, fmt.Errorf(format, args...))
}

// count returns the number of problems recorded so far.
func (p *parser) count() int { return len(p.errs) + p.more }

// list returns the problems in file order, or nil.
func (p *parser) list() *ErrorList {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return &ErrorList{Errors: p.errs, More: p.more}
}

// fields checks that n is a mapping with known, unique keys and returns its
// values by key; unknown and repeated keys are recorded and left out.
func (p *parser) fields(n *yaml.Node, path string, known ...string) (map[string]*yaml.Node, bool) {
	if n.Kind != yaml.MappingNode {
		p.failf(n, path, "want a mapping of fields")
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		f := join(path, name)
		if !slices.Contains(known, name) {
			p.failf(k, f, "unknown field: %q is not one of %s", name, joinList(known))
			continue
		}
		if _, dup := out[name]; dup {
			p.failf(k, f, "%q is given twice", name)
			continue
		}
		out[name] = v
	}
	return out, true
}

func joinList(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x)
	}
	return b.String()
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (p *parser) file(root *yaml.Node) policy.Set {
	before := p.count()
	fs, ok := p.fields(root, "", "zone", "policies")
	if !ok {
		return nil
	}
	misspelt := p.count() > before // an unknown field may be the list, misspelt
	if z, ok := fs["zone"]; ok {
		p.zone, ok = p.location(z, "zone")
		p.badZone = !ok
	}
	list, ok := fs["policies"]
	switch {
	case !ok:
		if !misspelt {
			p.failf(root, "policies", "missing: a file lists its policies")
		}
		return nil
	case list.Kind != yaml.SequenceNode:
		p.failf(list, "policies", "want a list of policies")
		return nil
	case len(list.Content) == 0:
		p.failf(list, "policies", "the list is empty, and a set without policies allows everything")
		return nil
	}
	set := make(policy.Set, 0, len(list.Content))
	for i, n := range list.Content {
		if pol := p.policy(n, "policies["+strconv.Itoa(i)+"]"); pol != nil {
			set = append(set, pol)
		}
	}
	return set
}
