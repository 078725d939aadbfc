package policyfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
	"github.com/mepkit/mepkit/policy"
)

// Sentinel errors, for errors.Is.
var (
	// ErrSyntax reports a file that is not valid YAML or JSON.
	ErrSyntax = errors.New("policyfile: syntax error")
	// ErrUnknownField reports a field that the file format or the policy's
	// kind does not have, or a field given twice.
	ErrUnknownField = errors.New("policyfile: unknown field")
	// ErrUnknownKind reports a policy kind that does not exist.
	ErrUnknownKind = errors.New("policyfile: unknown policy kind")
	// ErrMissing reports a required field that is absent.
	ErrMissing = errors.New("policyfile: missing field")
	// ErrValue reports a field whose value has the wrong type or form.
	ErrValue = errors.New("policyfile: bad value")
	// ErrZone reports an unknown or missing time zone.
	ErrZone = errors.New("policyfile: bad time zone")
)

// Error locates a problem in a policy file.
type Error struct {
	Line   int    // 1-based line, 0 if unknown
	Column int    // 1-based column, 0 if unknown
	Field  string // path of the field, e.g. "policies[2].spec"
	Err    error  // the cause
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("policyfile: ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "policyfile: "), "policy: "))
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// Parse reads a policy file, YAML or JSON, and returns its policies in
// file order. Errors are *[Error] values naming the line and the field.
func Parse(data []byte) (policy.Set, error) {
	f, err := ParseFile(data)
	return f.Set, err
}

// File is a parsed policy file.
type File struct {
	// Zone is the file's top-level zone; nil when the file names none
	// (every calendar policy then names its own).
	Zone *time.Location
	// Set holds the policies, in file order.
	Set policy.Set
}

// ParseFile is [Parse] that also returns the file's zone, so that a
// program can read local times (a planned start, say) where the policies
// do.
func ParseFile(data []byte) (File, error) {
	// JSON is checked as JSON, then read as the YAML it also is.
	data, err := jsonyaml.Prepare(data)
	if err != nil {
		var se *jsonyaml.SyntaxError
		if errors.As(err, &se) {
			return File{}, &Error{Line: se.Line, Column: se.Column, Err: fmt.Errorf("%w: %s", ErrSyntax, se.Msg)}
		}
		return File{}, &Error{Err: fmt.Errorf("%w: %w", ErrSyntax, err)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return File{}, yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return File{}, &Error{Err: fmt.Errorf("%w: empty file, want zone and policies", ErrMissing)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return File{}, yamlError(err)
		}
		return File{}, &Error{Line: next.Line, Err: fmt.Errorf("%w: a second document; a file holds one set of policies", ErrSyntax)}
	}
	p := &parser{}
	set, err := p.file(doc.Content[0])
	if err != nil {
		return File{}, err
	}
	return File{Zone: p.zone, Set: set}, nil
}

// yamlError turns an error of the YAML decoder, "yaml: line 3: ...", into
// an *Error with the line.
func yamlError(err error) *Error {
	e := &Error{Err: fmt.Errorf("%w: %s", ErrSyntax, yamlLine.ReplaceAllString(err.Error(), ""))}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
	}
	return e
}

type parser struct {
	zone *time.Location
}

func fail(n *yaml.Node, field string, err error) error {
	return &Error{Line: n.Line, Column: n.Column, Field: field, Err: err}
}

func failf(n *yaml.Node, field string, sentinel error, format string, args ...any) error {
	return fail(n, field, fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

// fields checks that n is a mapping with known, unique keys and returns its
// values by key.
func fields(n *yaml.Node, path string, known ...string) (map[string]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, failf(n, path, ErrValue, "want a mapping of fields")
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		f := join(path, name)
		if !slices.Contains(known, name) {
			return nil, failf(k, f, ErrUnknownField, "%q is not one of %s", name, strings.Join(known, ", "))
		}
		if _, dup := out[name]; dup {
			return nil, failf(k, f, ErrUnknownField, "%q is given twice", name)
		}
		out[name] = v
	}
	return out, nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (p *parser) file(root *yaml.Node) (policy.Set, error) {
	fs, err := fields(root, "", "zone", "policies")
	if err != nil {
		return nil, err
	}
	if z, ok := fs["zone"]; ok {
		if p.zone, err = zone(z, "zone"); err != nil {
			return nil, err
		}
	}
	list, ok := fs["policies"]
	if !ok {
		return nil, failf(root, "policies", ErrMissing, "a file lists its policies")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, failf(list, "policies", ErrValue, "want a list of policies")
	}
	if len(list.Content) == 0 {
		return nil, failf(list, "policies", ErrMissing, "the list is empty, and a set without policies allows everything")
	}
	set := make(policy.Set, 0, len(list.Content))
	for i, n := range list.Content {
		pol, err := p.policy(n, fmt.Sprintf("policies[%d]", i))
		if err != nil {
			return nil, err
		}
		set = append(set, pol)
	}
	return set, nil
}

// kindFields returns the fields that a kind takes beside the common ones,
// and whether the kind exists.
func kindFields(kind string) ([]string, bool) {
	switch kind {
	case "friday-freeze", "weekend-freeze":
		return nil, true
	case "holidays":
		return []string{"country", "eve", "extra"}, true
	case "freeze":
		return []string{"from", "to"}, true
	case "windows":
		return []string{"spec"}, true
	case "cron":
		return []string{"cron", "duration"}, true
	case "readiness":
		return []string{"lead"}, true
	case "require-go":
		return []string{"role"}, true
	case "max-outage":
		return []string{"limit"}, true
	}
	return nil, false
}

const kindList = "friday-freeze, weekend-freeze, holidays, freeze, windows, cron, readiness, require-go, max-outage"

func (p *parser) policy(n *yaml.Node, path string) (policy.Policy, error) {
	if n.Kind != yaml.MappingNode {
		return nil, failf(n, path, ErrValue, "want a policy: a mapping with a kind")
	}
	var kindNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "kind" {
			kindNode = n.Content[i+1]
		}
	}
	if kindNode == nil {
		return nil, failf(n, join(path, "kind"), ErrMissing, "every policy has a kind: one of %s", kindList)
	}
	kind, err := str(kindNode, join(path, "kind"))
	if err != nil {
		return nil, err
	}
	extra, ok := kindFields(kind)
	if !ok {
		return nil, failf(kindNode, join(path, "kind"), ErrUnknownKind, "%q is not one of %s", kind, kindList)
	}
	fs, err := fields(n, path, append([]string{"kind", "name", "zone", "mandatory"}, extra...)...)
	if err != nil {
		return nil, err
	}
	f := func(name string) string { return join(path, name) }
	name := ""
	if v, ok := fs["name"]; ok {
		if name, err = str(v, f("name")); err != nil {
			return nil, err
		}
	}
	mandatory := false
	if v, ok := fs["mandatory"]; ok {
		if mandatory, err = boolean(v, f("mandatory")); err != nil {
			return nil, err
		}
	}
	loc := p.zone
	if v, ok := fs["zone"]; ok {
		if loc, err = zone(v, f("zone")); err != nil {
			return nil, err
		}
	}
	needZone := func() error {
		if loc == nil {
			return failf(kindNode, f("zone"), ErrZone, "a %s policy needs a time zone: set zone at the top of the file or in the policy", kind)
		}
		return nil
	}
	required := func(field string) (*yaml.Node, error) {
		v, ok := fs[field]
		if !ok {
			return nil, failf(n, f(field), ErrMissing, "a %s policy needs %s", kind, field)
		}
		return v, nil
	}
	var pol policy.Policy
	switch kind {
	case "friday-freeze", "weekend-freeze":
		if err := needZone(); err != nil {
			return nil, err
		}
		if kind == "friday-freeze" {
			pol = policy.FridayFreeze(loc)
		} else {
			pol = policy.WeekendFreeze(loc)
		}
	case "holidays":
		if err := needZone(); err != nil {
			return nil, err
		}
		pol, err = p.holidays(fs, path, name, loc, n)
	case "freeze":
		if err := needZone(); err != nil {
			return nil, err
		}
		fromN, err := required("from")
		if err != nil {
			return nil, err
		}
		toN, err := required("to")
		if err != nil {
			return nil, err
		}
		from, err := instant(fromN, f("from"), loc)
		if err != nil {
			return nil, err
		}
		to, err := instant(toN, f("to"), loc)
		if err != nil {
			return nil, err
		}
		if !to.After(from) {
			return nil, failf(toN, f("to"), ErrValue, "the freeze ends (%s) before it starts (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
		}
		if name == "" {
			name = "freeze"
		}
		pol = policy.Freeze(name, from, to)
	case "windows":
		if err := needZone(); err != nil {
			return nil, err
		}
		v, err := required("spec")
		if err != nil {
			return nil, err
		}
		spec, err := str(v, f("spec"))
		if err != nil {
			return nil, err
		}
		if name == "" {
			name = "windows"
		}
		if pol, err = policy.Windows(name, spec, loc); err != nil {
			return nil, fail(v, f("spec"), err)
		}
		cal := pol.(policy.Calendar)
		if blocksNothing(cal, loc) {
			return nil, failf(v, f("spec"), ErrValue, "the windows %q cover every day and hour: the policy blocks nothing", spec)
		}
		if blocksEverything(cal, loc) {
			return nil, failf(v, f("spec"), ErrValue, "the windows %q block every instant: no operation could ever run", spec)
		}
	case "cron":
		if err := needZone(); err != nil {
			return nil, err
		}
		v, err := required("cron")
		if err != nil {
			return nil, err
		}
		expr, err := str(v, f("cron"))
		if err != nil {
			return nil, err
		}
		dn, err := required("duration")
		if err != nil {
			return nil, err
		}
		d, err := duration(dn, f("duration"))
		if err != nil {
			return nil, err
		}
		if d <= 0 || d > maxCronDuration {
			return nil, failf(dn, f("duration"), ErrValue, "%q: a recurring freeze lasts more than zero and at most 366 days", dn.Value)
		}
		if name == "" {
			name = "cron"
		}
		if pol, err = policy.Cron(name, expr, d, loc); err != nil {
			return nil, fail(v, f("cron"), err)
		}
		if blocksEverything(pol.(policy.Calendar), loc) {
			return nil, failf(dn, f("duration"), ErrValue, "the freeze %q for %s blocks every instant: no operation could ever run", expr, dn.Value)
		}
	case "readiness":
		lead := time.Hour
		if v, ok := fs["lead"]; ok {
			if lead, err = duration(v, f("lead")); err != nil {
				return nil, err
			}
		}
		pol = policy.ReadinessWindow(lead)
	case "require-go":
		v, err := required("role")
		if err != nil {
			return nil, err
		}
		role, err := str(v, f("role"))
		if err != nil {
			return nil, err
		}
		if role = strings.TrimSpace(role); role == "" {
			return nil, failf(v, f("role"), ErrValue, "the role is empty")
		}
		pol = policy.RequireGo(role)
	case "max-outage":
		v, err := required("limit")
		if err != nil {
			return nil, err
		}
		limit, err := duration(v, f("limit"))
		if err != nil {
			return nil, err
		}
		pol = policy.MaxOutage(limit)
	}
	if err != nil {
		return nil, err
	}
	if name != "" && name != pol.Name() {
		pol = policy.Named(name, pol)
	}
	if mandatory {
		pol = policy.Mandatory(pol)
	}
	return pol, nil
}

func (p *parser) holidays(fs map[string]*yaml.Node, path, name string, loc *time.Location, n *yaml.Node) (policy.Policy, error) {
	f := func(name string) string { return join(path, name) }
	var srcs []policy.HolidaySource
	code := ""
	if v, ok := fs["country"]; ok {
		var err error
		if code, err = str(v, f("country")); err != nil {
			return nil, err
		}
		src, err := policy.CountryHolidays(code)
		if err != nil {
			return nil, fail(v, f("country"), err)
		}
		srcs = append(srcs, src)
	}
	eve := false
	if v, ok := fs["eve"]; ok {
		var err error
		if eve, err = boolean(v, f("eve")); err != nil {
			return nil, err
		}
	}
	if v, ok := fs["extra"]; ok {
		if v.Kind != yaml.SequenceNode {
			return nil, failf(v, f("extra"), ErrValue, "want a list of days")
		}
		for i, d := range v.Content {
			src, err := extraDay(d, fmt.Sprintf("%s[%d]", f("extra"), i))
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, src)
		}
	}
	if len(srcs) == 0 {
		return nil, failf(n, f("country"), ErrMissing, "a holidays policy needs a country, extra days or both")
	}
	if name == "" {
		name = "holidays"
		if code != "" {
			name += "-" + strings.ToUpper(code)
		}
	}
	cal := policy.HolidayCalendar(name, policy.JoinHolidays(srcs...), loc, eve)
	if blocksEverything(cal, loc) {
		at, field := n, path
		if v, ok := fs["extra"]; ok {
			at, field = v, f("extra")
		}
		return nil, failf(at, field, ErrValue, "the holidays cover every day: no operation could ever run")
	}
	return cal, nil
}

// maxCronDuration is the longest recurring freeze that [policy.Cron] takes.
const maxCronDuration = 366 * 24 * time.Hour

// The probes of blocksNothing and blocksEverything, from a fixed day so
// that a file parses the same whenever it is read.
var probeDay = policy.Date{Year: 2026, Month: time.January, Day: 5}

// blocksNothing reports whether cal blocks nothing in eight days: for a
// weekly rule such as windows, nothing ever.
func blocksNothing(cal policy.Calendar, loc *time.Location) bool {
	from := probeDay.In(loc)
	return len(cal.Blocked(from, from.AddDate(0, 0, 8))) == 0
}

// blocksEverything reports whether cal leaves no instant free in five
// years, a leap year and every weekday of each date included.
func blocksEverything(cal policy.Calendar, loc *time.Location) bool {
	set := policy.Set{cal}
	from := probeDay.In(loc)
	if len(set.Free(from, from.AddDate(0, 0, 8))) > 0 {
		return false
	}
	return len(set.Free(from, from.AddDate(5, 0, 0))) == 0
}

var monthDay = regexp.MustCompile(`^(\d\d)-(\d\d)$`)

func extraDay(n *yaml.Node, path string) (policy.HolidaySource, error) {
	fs, err := fields(n, path, "name", "date", "easter")
	if err != nil {
		return nil, err
	}
	name := ""
	if v, ok := fs["name"]; ok {
		if name, err = str(v, join(path, "name")); err != nil {
			return nil, err
		}
	}
	dn, hasDate := fs["date"]
	en, hasEaster := fs["easter"]
	switch {
	case hasDate && hasEaster:
		return nil, failf(en, join(path, "easter"), ErrValue, "give either date or easter, not both")
	case hasEaster:
		var days int
		if en.Kind != yaml.ScalarNode || en.Decode(&days) != nil || days < -366 || days > 366 {
			return nil, failf(en, join(path, "easter"), ErrValue, "want a number of days from Easter Sunday, e.g. -2 for Good Friday")
		}
		if name == "" {
			name = "Easter" + fmt.Sprintf("%+d", days)
		}
		return policy.Easter(name, days), nil
	case hasDate:
		s, err := str(dn, join(path, "date"))
		if err != nil {
			return nil, err
		}
		if name == "" {
			name = s
		}
		if m := monthDay.FindStringSubmatch(s); m != nil {
			mo, _ := strconv.Atoi(m[1])
			d, _ := strconv.Atoi(m[2])
			if t := time.Date(2000, time.Month(mo), d, 0, 0, 0, 0, time.UTC); mo < 1 || mo > 12 || t.Day() != d {
				return nil, failf(dn, join(path, "date"), ErrValue, "%q is not a day of the year", s)
			}
			return policy.Annual(name, time.Month(mo), d), nil
		}
		d, err := policy.ParseDate(s)
		if err != nil {
			return nil, failf(dn, join(path, "date"), ErrValue, "%q: want MM-DD (every year) or YYYY-MM-DD (once)", s)
		}
		return policy.Dates(name, d), nil
	}
	return nil, failf(n, join(path, "date"), ErrMissing, "a day needs a date (MM-DD or YYYY-MM-DD) or an easter offset")
}

func str(n *yaml.Node, path string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", failf(n, path, ErrValue, "want a string")
	}
	return n.Value, nil
}

// boolean reads true or false; YAML 1.1's yes, no, on and off are not
// booleans.
func boolean(n *yaml.Node, path string) (bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		return false, failf(n, path, ErrValue, "want true or false, got %q", n.Value)
	}
	return b, nil
}

func duration(n *yaml.Node, path string) (time.Duration, error) {
	s, err := str(n, path)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, failf(n, path, ErrValue, "%q is not a duration such as 30m or 1h30m", s)
	}
	return d, nil
}

func zone(n *yaml.Node, path string) (*time.Location, error) {
	s, err := str(n, path)
	if err != nil {
		return nil, err
	}
	if s == "" || s == "Local" {
		return nil, failf(n, path, ErrZone, "%q: name an IANA zone such as Europe/Paris", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, failf(n, path, ErrZone, "unknown zone %q", s)
	}
	return loc, nil
}

// instant reads a date (its first instant in loc) or an RFC 3339 time.
func instant(n *yaml.Node, path string, loc *time.Location) (time.Time, error) {
	s, err := str(n, path)
	if err != nil {
		return time.Time{}, err
	}
	if d, err := policy.ParseDate(s); err == nil {
		return d.In(loc), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, failf(n, path, ErrValue, "%q: want a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05+01:00)", s)
	}
	return t.In(loc), nil
}
