package policyfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
	"github.com/mepkit/mepkit/policy"
)

// DefaultMaxBytes is the largest policy file read when
// [ParseOptions.MaxBytes] is zero: 1 MiB. A policy file lists tens of
// policies in a few kilobytes; 1 MiB is thousands of them. The worst case
// within it, a megabyte of cron freezes and holiday calendars each checked
// over five years, takes about 3 s of CPU and 450 MB of memory.
const DefaultMaxBytes = 1 << 20

// DefaultMaxProblems is how many problems a [ListError] keeps when
// [ParseOptions.MaxProblems] is zero; it counts the others in More.
const DefaultMaxProblems = 20

// ParseOptions tune the reading of a policy file. A nil *ParseOptions and
// the zero value mean the defaults; the parser never changes them.
type ParseOptions struct {
	// MaxBytes is the largest file accepted, in bytes; zero or less:
	// DefaultMaxBytes. A larger file is refused at once with [ErrTooLarge],
	// before it is read whole or parsed. Within the limit, parsing takes
	// time and memory in proportion to the size.
	MaxBytes int
	// MaxProblems is how many problems a [ListError] keeps; zero or less:
	// DefaultMaxProblems.
	MaxProblems int
}

func (o *ParseOptions) maxBytes() int64 {
	if o == nil || o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return int64(o.MaxBytes)
}

func (o *ParseOptions) maxProblems() int {
	if o == nil || o.MaxProblems <= 0 {
		return DefaultMaxProblems
	}
	return o.MaxProblems
}

// File is a parsed policy file. The zero File has no zone and an empty
// Set, which allows everything.
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
	// Environments lists the environments the file names at its top
	// (environments: [production, staging]), as written; nil when it
	// names none. Every environment a scope names is among them.
	Environments []string
	// ScopedEnvironments lists the environments that the scopes of its
	// policies name, each once (without regard to case), in file order;
	// nil when no policy is scoped by environment.
	ScopedEnvironments []string
}

// Parse reads a policy file, YAML or JSON, with the default [ParseOptions], and
// returns its policies in file order. It is ParseWith(data, nil).Set.
func Parse(data []byte) (policy.Set, error) {
	f, err := ParseWith(data, nil)
	return f.Set, err
}

// ParseWith is [Parse] with options (a larger size limit, more problems
// kept; opts may be nil) that also returns the file's zone. A file that
// cannot be used gives a *[ListError] with every problem found, each an
// *[Error] with the line and the field; data over [ParseOptions.MaxBytes]
// gives one wrapping [ErrTooLarge], at once.
func ParseWith(data []byte, opts *ParseOptions) (File, error) {
	if limit := opts.maxBytes(); int64(len(data)) > limit {
		return File{}, tooLarge("", int64(len(data)), limit)
	}
	f, errs := decode(data, opts.maxProblems())
	if errs != nil {
		return File{}, errs
	}
	return f, nil
}

// ParseFile reads the policy file at path, as [ParseWith] does. A file
// larger than [ParseOptions.MaxBytes] is refused before it is read, with
// an error wrapping [ErrTooLarge]; a *[ListError] from ParseFile has the
// path. Errors opening or reading the file wrap the *fs.PathError.
func ParseFile(path string, opts *ParseOptions) (File, error) {
	limit := opts.maxBytes()
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
	f, errs := decode(data, opts.maxProblems())
	if errs != nil {
		errs.Path = path
		return File{}, errs
	}
	return f, nil
}

func tooLarge(path string, size, limit int64) *ListError {
	what := strconv.FormatInt(size, 10) + " bytes"
	if path != "" && size == limit+1 {
		what = "more than " + strconv.FormatInt(limit, 10) + " bytes"
	}
	return &ListError{Path: path, Problems: []*Error{{
		Err: fmt.Errorf("%w: %s, over the limit of %d bytes (raise ParseOptions.MaxBytes to read it)", ErrTooLarge, what, limit),
	}}}
}

// decode parses data, collecting every problem it can find.
func decode(data []byte, maxProblems int) (File, *ListError) {
	p := &parser{lines: countLines(data), max: maxProblems}
	// JSON is checked as JSON, then read as the YAML it also is; YAML is
	// checked for the characters its decoder refuses without a line.
	data, err := jsonyaml.Prepare(data)
	if err != nil {
		var se *jsonyaml.SyntaxError
		if errors.As(err, &se) {
			p.add(&Error{Line: se.Line, Column: se.Column, Err: fmt.Errorf("%w: %s", ErrSyntax, se.Msg)})
		} else {
			p.add(&Error{Err: fmt.Errorf("%w: %w", ErrSyntax, err)})
		}
		return File{}, p.list()
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		p.add(yamlError(err, data))
		return File{}, p.list()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.add(&Error{Err: errors.New("empty file, want zone and policies")})
		return File{}, p.list()
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			p.add(yamlError(err, data))
		} else {
			p.add(&Error{Line: next.Line, Err: fmt.Errorf("%w: a second document; a file holds one set of policies", ErrSyntax)})
		}
		return File{}, p.list()
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		p.add(&Error{Err: errors.New("empty document, want zone and policies")})
		return File{}, p.list()
	}
	if p.aliases(root); p.count() > 0 {
		return File{}, p.list()
	}
	set := p.file(root)
	if errs := p.list(); errs != nil {
		return File{}, errs
	}
	return File{Zone: p.zone, Set: set, Environments: p.envs, ScopedEnvironments: p.scoped}, nil
}

// aliases records a problem at each alias of the tree at n: a policy
// file writes every value out, so that each line holds what it says.
func (p *parser) aliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode {
		p.add(&Error{Line: n.Line, Column: n.Column,
			Err: fmt.Errorf("%w: alias *%s: a policy file writes each value out, without anchors and aliases", ErrSyntax, n.Value)})
		return
	}
	for _, c := range n.Content {
		p.aliases(c)
	}
}

// countLines returns the number of lines of data, as YAML counts them.
func countLines(data []byte) int {
	n := 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n', c == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			n++
		case c == 0xc2 && i+1 < len(data) && data[i+1] == 0x85,
			c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			n++
		}
	}
	return n
}

// yamlError turns an error of the YAML decoder of data into an *Error
// with the line, as [jsonyaml.DecodeError] finds it.
func yamlError(err error, data []byte) *Error {
	se := jsonyaml.DecodeError(err, data)
	return &Error{Line: se.Line, Err: fmt.Errorf("%w: %s", ErrSyntax, se.Msg)}
}

// parser reads the nodes of a file and collects its problems.
type parser struct {
	others  policy.Set     // the policies other than fit and announce, once read
	zone    *time.Location // the file's
	badZone bool           // the file's zone was given but is unusable
	envs    []string       // the file's environments; nil if it lists none
	scoped  []string       // the environments the scopes name
	// envSet and scopedSet hold envs and scoped, without regard to case.
	envSet, scopedSet foldSet
	// cronMemo holds whether each cron freeze read so far blocks every
	// instant: a file that repeats a rule pays for its check once.
	cronMemo map[cronKey]bool
	lines    int // of the file: the decoder may place a node past the end
	max      int // problems kept
	errs     []*Error
	more     int
}

// add records a problem.
func (p *parser) add(e *Error) {
	if e.Line > p.lines {
		e.Line, e.Column = p.lines, 0 // a value missing at the end of the file
	}
	if len(p.errs) < p.max {
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
func (p *parser) list() *ListError {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return &ListError{Problems: p.errs, More: p.more}
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
	fs, ok := p.fields(root, "", "zone", "policies", "environments")
	if !ok {
		return nil
	}
	misspelt := p.count() > before // an unknown field may be the list, misspelt
	if z, ok := fs["zone"]; ok {
		p.zone, ok = p.location(z, "zone")
		p.badZone = !ok
	}
	if v, ok := fs["environments"]; ok {
		p.environments(v)
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
	// The policies that watch the others' calendars (fit, announce) are
	// read once the others are, and keep their place in the list.
	read := make(policy.Set, len(list.Content))
	var watchers []int
	for i, n := range list.Content {
		if isWatcher(n) {
			watchers = append(watchers, i)
			continue
		}
		read[i] = p.policy(n, "policies["+strconv.Itoa(i)+"]")
	}
	p.others = slices.DeleteFunc(slices.Clone(read), func(q policy.Policy) bool { return q == nil })
	for k, i := range watchers {
		field := "policies[" + strconv.Itoa(i) + "]"
		if k >= maxWatchers {
			p.failf(list.Content[i], field+".kind", "more than %d fit and announce policies: each watches every other policy", maxWatchers)
			continue
		}
		read[i] = p.policy(list.Content[i], field)
	}
	return slices.DeleteFunc(read, func(q policy.Policy) bool { return q == nil })
}
