package policyfile

import (
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/policy"
)

// The readers of scalar values. Each records its problem and reports
// whether the value is usable.

func (p *parser) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.failf(n, path, "want a string")
		return "", false
	}
	return n.Value, true
}

// boolean reads true or false; YAML 1.1's yes, no, on and off are not
// booleans.
func (p *parser) boolean(n *yaml.Node, path string) (bool, bool) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		p.failf(n, path, "want true or false, got %q", n.Value)
		return false, false
	}
	return b, true
}

func (p *parser) duration(n *yaml.Node, path string) (time.Duration, bool) {
	s, ok := p.str(n, path)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		p.failf(n, path, "%q is not a duration such as 30m or 1h30m", s)
		return 0, false
	}
	return d, true
}

// quorum reads a whole number of GOs, from 1 to maxQuorum.
func (p *parser) quorum(n *yaml.Node, path string) (int, bool) {
	var q int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&q) != nil || q < 1 || q > maxQuorum {
		p.failf(n, path, "want a number of GOs from distinct people, 1 to %d, got %q", maxQuorum, n.Value)
		return 0, false
	}
	return q, true
}

func (p *parser) location(n *yaml.Node, path string) (*time.Location, bool) {
	s, ok := p.str(n, path)
	if !ok {
		return nil, false
	}
	if s == "" || s == "Local" {
		p.failf(n, path, "bad time zone %q: name an IANA zone such as Europe/Paris", s)
		return nil, false
	}
	loc, err := time.LoadLocation(s)
	switch {
	case err != nil && offset.MatchString(s):
		p.failf(n, path, "%q is an offset from UTC, not a time zone: name an IANA zone such as Europe/Paris, whose offset follows its rules", s)
		return nil, false
	case err != nil:
		p.failf(n, path, "unknown time zone %q", s)
		return nil, false
	}
	return loc, true
}

// offset matches an offset from UTC written where a zone is wanted:
// "+01:00", "-0530", "UTC+1", "GMT-05:00".
var offset = regexp.MustCompile(`(?i)^(utc|gmt|z)?[+-]\d{1,2}(:?\d\d)?$`)

// instant reads a date (its first instant in loc) or an RFC 3339 time
// ([ParseTime]); date reports which it was.
func (p *parser) instant(n *yaml.Node, path string, loc *time.Location) (t time.Time, date, ok bool) {
	s, ok := p.str(n, path)
	if !ok {
		return time.Time{}, false, false
	}
	if d, err := policy.ParseDate(s); err == nil {
		return d.In(loc), true, true
	}
	t, why := parseTime(s)
	if why == timeForm {
		p.failf(n, path, "%q: want a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05+01:00)", s)
		return time.Time{}, false, false
	}
	if why != "" {
		p.failf(n, path, "time %q: %s; want a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05+01:00)", s, why)
		return time.Time{}, false, false
	}
	return t.In(loc), false, true
}
