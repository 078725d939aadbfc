package policyfile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/policy"
)

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
		return []string{"role", "quorum"}, true
	case "max-outage":
		return []string{"limit"}, true
	case "fit":
		return []string{"quantile"}, true
	case "announce":
		return []string{"lead"}, true
	case "conflicts":
		return []string{"exclusive", "warn"}, true
	}
	return nil, false
}

// commonFields are the fields every policy takes.
var commonFields = []string{"kind", "name", "zone", "mandatory", "scope"}

const kindList = "friday-freeze, weekend-freeze, holidays, freeze, windows, cron, readiness, require-go, max-outage, fit, announce, conflicts"

// maxQuorum bounds the GOs a require-go policy may ask for.
const maxQuorum = 1000

// spec is what a policy entry says, field by field, while it is read.
type spec struct {
	p      *parser
	n      *yaml.Node // the entry
	path   string     // e.g. "policies[2]"
	kind   string
	kindN  *yaml.Node
	fs     map[string]*yaml.Node
	name   string
	loc    *time.Location // the policy's zone, else the file's; nil if none
	locBad bool           // a zone was given but is unusable
	// stand is set when the zone is unusable: loc is then UTC, standing in
	// so that the fields that do not depend on the zone are still
	// checked, and the policy is left out.
	stand bool
}

func (s *spec) field(name string) string { return join(s.path, name) }

// required returns the node of a required field, recording its absence.
func (s *spec) required(field string) (*yaml.Node, bool) {
	v, ok := s.fs[field]
	if !ok {
		s.p.failf(s.n, s.field(field), "missing: a %s policy needs %s", s.kind, field)
	}
	return v, ok
}

// needZone reports whether the policy has a zone, recording the problem
// when it has none.
func (s *spec) needZone() bool {
	if s.loc != nil {
		return true
	}
	if !s.locBad {
		s.p.failf(s.kindN, s.field("zone"), "a %s policy needs a time zone: set zone at the top of the file or in the policy", s.kind)
	}
	return false
}

// policy reads one entry of the list; it returns nil when the entry has a
// problem, which is recorded.
func (p *parser) policy(n *yaml.Node, path string) policy.Policy {
	if n.Kind != yaml.MappingNode {
		p.failf(n, path, "want a policy: a mapping with a kind")
		return nil
	}
	s := &spec{p: p, n: n, path: path}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "kind" && s.kindN == nil {
			s.kindN = n.Content[i+1]
		}
	}
	if s.kindN == nil {
		p.failf(n, s.field("kind"), "missing: every policy has a kind: one of %s", kindList)
		return nil
	}
	var ok bool
	if s.kind, ok = p.str(s.kindN, s.field("kind")); !ok {
		return nil
	}
	extra, ok := kindFields(s.kind)
	if !ok {
		p.failf(s.kindN, s.field("kind"), "unknown kind: %q is not one of %s", s.kind, kindList)
		return nil
	}
	before := p.count()
	s.fs, _ = p.fields(n, path, append(append([]string(nil), commonFields...), extra...)...)
	if v, ok := s.fs["name"]; ok {
		s.name, _ = p.str(v, s.field("name"))
	}
	mandatory := false
	if v, ok := s.fs["mandatory"]; ok {
		mandatory, _ = p.boolean(v, s.field("mandatory"))
	}
	s.loc, s.locBad = p.zone, p.badZone
	if v, ok := s.fs["zone"]; ok {
		s.loc, ok = p.location(v, s.field("zone"))
		s.locBad = !ok
	}
	if s.locBad {
		s.loc, s.stand = time.UTC, true // the problem is recorded
	}
	var scope *policy.Scope
	if v, ok := s.fs["scope"]; ok {
		scope = p.scope(v, s.field("scope"))
	}
	pol := s.build()
	if pol == nil || p.count() > before || s.stand {
		return nil
	}
	if s.name != "" && s.name != pol.Name() {
		pol = policy.Named(s.name, pol)
	}
	if _, isCal := pol.(policy.Calendar); !isCal && s.loc != nil {
		pol = policy.In(s.loc, pol) // the zone of its reasons
	}
	if scope != nil {
		pol = policy.Scoped(*scope, pol)
	}
	if mandatory {
		pol = policy.Mandatory(pol)
	}
	return pol
}

// build makes the policy of the entry's kind; nil when a problem was
// recorded.
func (s *spec) build() policy.Policy {
	p := s.p
	switch s.kind {
	case "friday-freeze", "weekend-freeze":
		if !s.needZone() {
			return nil
		}
		if s.kind == "friday-freeze" {
			return policy.FridayFreeze(s.loc)
		}
		return policy.WeekendFreeze(s.loc)
	case "holidays":
		return s.holidays()
	case "freeze":
		return s.freeze()
	case "windows":
		return s.windows()
	case "cron":
		return s.cron()
	case "readiness":
		lead := policy.MinLead
		if v, ok := s.fs["lead"]; ok {
			if lead, ok = p.duration(v, s.field("lead")); !ok {
				return nil
			}
			if lead < policy.MinLead {
				p.failf(v, s.field("lead"), "%q is below the minimum of %s: the method wants everything ready at least one hour ahead (rule R7)", v.Value, "1h")
				return nil
			}
		}
		return policy.ReadinessWindow(lead)
	case "require-go":
		v, ok := s.required("role")
		n := 1
		if q, has := s.fs["quorum"]; has {
			var qok bool
			if n, qok = p.quorum(q, s.field("quorum")); !qok {
				return nil
			}
		}
		if !ok {
			return nil
		}
		role, ok := p.str(v, s.field("role"))
		if !ok {
			return nil
		}
		if role = strings.TrimSpace(role); role == "" {
			p.failf(v, s.field("role"), "the role is empty")
			return nil
		}
		return policy.RequireQuorum(role, n)
	case "max-outage":
		v, ok := s.required("limit")
		if !ok {
			return nil
		}
		limit, ok := p.duration(v, s.field("limit"))
		if !ok {
			return nil
		}
		return policy.MaxOutage(limit)
	case "fit", "announce":
		return s.watcher()
	case "conflicts":
		return s.conflicts()
	}
	return nil
}

func (s *spec) freeze() policy.Policy {
	p := s.p
	fromN, okF := s.required("from")
	toN, okT := s.required("to")
	if !s.needZone() || !okF || !okT {
		return nil
	}
	from, fromDate, okF := p.instant(fromN, s.field("from"), s.loc)
	to, toDate, okT := p.instant(toN, s.field("to"), s.loc)
	if !okF || !okT {
		return nil
	}
	// Without the zone, only bounds of one form compare.
	if !to.After(from) && (!s.stand || fromDate == toDate) {
		p.failf(toN, s.field("to"), "the freeze ends (%s) before it starts (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
		return nil
	}
	name := s.name
	if name == "" {
		name = "freeze"
	}
	return policy.Freeze(name, from, to)
}

func (s *spec) windows() policy.Policy {
	p := s.p
	v, ok := s.required("spec")
	if !s.needZone() || !ok {
		return nil
	}
	spec, ok := p.str(v, s.field("spec"))
	if !ok {
		return nil
	}
	name := s.name
	if name == "" {
		name = "windows"
	}
	pol, err := policy.Windows(name, spec, s.loc)
	if err != nil {
		p.fail(v, s.field("spec"), err)
		return nil
	}
	if s.stand {
		return pol // the spec is checked; the rest depends on the zone
	}
	// A weekly rule: what a week and a day show, every week shows.
	if blocksNothing(pol, s.loc) {
		p.failf(v, s.field("spec"), "the windows %q cover every day and hour: the policy blocks nothing", spec)
		return nil
	}
	if len(policy.Set{pol}.Free(probe(s.loc))) == 0 {
		p.failf(v, s.field("spec"), "the windows %q block every instant: no operation could ever run", spec)
		return nil
	}
	return pol
}

func (s *spec) holidays() policy.Policy {
	p := s.p
	var srcs []policy.HolidaySource
	code := ""
	ok := true
	if v, has := s.fs["country"]; has {
		var sok bool
		if code, sok = p.str(v, s.field("country")); sok {
			src, err := policy.CountryHolidays(code)
			if err != nil {
				p.fail(v, s.field("country"), err)
				ok = false
			} else {
				srcs = append(srcs, src)
			}
		} else {
			ok = false
		}
	}
	eve := false
	if v, has := s.fs["eve"]; has {
		var bok bool
		eve, bok = p.boolean(v, s.field("eve"))
		ok = ok && bok
	}
	if v, has := s.fs["extra"]; has {
		if v.Kind != yaml.SequenceNode {
			p.failf(v, s.field("extra"), "want a list of days")
			ok = false
		} else {
			for i, d := range v.Content {
				src, dok := p.extraDay(d, s.field("extra")+"["+strconv.Itoa(i)+"]")
				if dok {
					srcs = append(srcs, src)
				}
				ok = ok && dok
			}
		}
	}
	if !s.needZone() || !ok {
		return nil
	}
	if len(srcs) == 0 {
		p.failf(s.n, s.field("country"), "missing: a holidays policy needs a country, extra days or both")
		return nil
	}
	name := s.name
	if name == "" {
		name = "holidays"
		if code != "" {
			name += "-" + strings.ToUpper(code)
		}
	}
	cal := policy.HolidayCalendar(name, policy.JoinHolidays(srcs...), s.loc, eve)
	if !s.stand && blocksEverything(cal, s.loc) {
		at, field := s.n, s.path
		if v, has := s.fs["extra"]; has {
			at, field = v, s.field("extra")
		}
		p.failf(at, field, "the holidays cover every day: no operation could ever run")
		return nil
	}
	return cal
}

// maxCronDuration is the longest recurring freeze that [policy.Cron] takes.
const maxCronDuration = 366 * 24 * time.Hour

// The probes of blocksNothing and blocksEverything, from a fixed day so
// that a file parses the same whenever it is read.
var probeDay = policy.Date{Year: 2026, Month: time.January, Day: 5}

// probe returns eight days from the probe day in loc: every weekday, and
// the night from the last into the first.
func probe(loc *time.Location) (from, to time.Time) {
	from = probeDay.In(loc)
	return from, from.AddDate(0, 0, 8)
}

// blocksNothing reports whether cal blocks nothing in eight days: for a
// weekly rule such as windows, nothing ever.
func blocksNothing(cal policy.Calendar, loc *time.Location) bool {
	return len(cal.Blocked(probe(loc))) == 0
}

// blocksEverything reports whether cal leaves no instant free in five
// years, a leap year and every weekday of each date included. Eight days
// settle the usual case at once.
func blocksEverything(cal policy.Calendar, loc *time.Location) bool {
	set := policy.Set{cal}
	from, to := probe(loc)
	if len(set.Free(from, to)) > 0 {
		return false
	}
	return len(set.Free(from, from.AddDate(5, 0, 0))) == 0
}

var monthDay = regexp.MustCompile(`^(\d\d)-(\d\d)$`)

func (p *parser) extraDay(n *yaml.Node, path string) (policy.HolidaySource, bool) {
	before := p.count()
	fs, ok := p.fields(n, path, "name", "date", "easter")
	if !ok {
		return nil, false
	}
	name := ""
	if v, ok := fs["name"]; ok {
		name, _ = p.str(v, join(path, "name"))
	}
	dn, hasDate := fs["date"]
	en, hasEaster := fs["easter"]
	var src policy.HolidaySource
	switch {
	case hasDate && hasEaster:
		p.failf(en, join(path, "easter"), "give either date or easter, not both")
	case hasEaster:
		var days int
		if en.Kind != yaml.ScalarNode || en.ShortTag() != "!!int" || en.Decode(&days) != nil || days < -366 || days > 366 {
			p.failf(en, join(path, "easter"), "want a whole number of days from Easter Sunday, -366 to 366, e.g. -2 for Good Friday; got %q", en.Value)
			break
		}
		if name == "" {
			name = "Easter" + fmt.Sprintf("%+d", days)
		}
		src = policy.Easter(name, days)
	case hasDate:
		s, ok := p.str(dn, join(path, "date"))
		if !ok {
			break
		}
		if name == "" {
			name = s
		}
		if m := monthDay.FindStringSubmatch(s); m != nil {
			mo, _ := strconv.Atoi(m[1])
			d, _ := strconv.Atoi(m[2])
			if t := time.Date(2000, time.Month(mo), d, 0, 0, 0, 0, time.UTC); mo < 1 || mo > 12 || t.Day() != d {
				p.failf(dn, join(path, "date"), "%q is not a day of the year", s)
				break
			}
			src = policy.Annual(name, time.Month(mo), d)
			break
		}
		d, err := policy.ParseDate(s)
		if err != nil {
			p.failf(dn, join(path, "date"), "%q: want MM-DD (every year) or YYYY-MM-DD (once)", s)
			break
		}
		src = policy.Dates(name, d)
	default:
		p.failf(n, join(path, "date"), "missing: a day needs a date (MM-DD or YYYY-MM-DD) or an easter offset")
	}
	return src, src != nil && p.count() == before
}

// scope reads {environments: [...], labels: {k: v}}.
func (p *parser) scope(n *yaml.Node, path string) *policy.Scope {
	fs, ok := p.fields(n, path, "environments", "labels")
	if !ok {
		return nil
	}
	var s policy.Scope
	if v, ok := fs["environments"]; ok {
		s.Environments = p.envList(v, join(path, "environments"))
	}
	if v, ok := fs["labels"]; ok {
		if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
			p.failf(v, join(path, "labels"), "want a mapping of labels, e.g. {tier: gold}")
		} else {
			s.Labels = make(map[string]string, len(v.Content)/2)
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				f := join(join(path, "labels"), k.Value)
				if _, dup := s.Labels[k.Value]; dup {
					p.failf(k, f, "%q is given twice", k.Value)
					continue
				}
				if x, ok := p.str(val, f); ok {
					s.Labels[k.Value] = x
				}
			}
		}
	}
	if len(n.Content) == 0 {
		p.failf(n, path, "an empty scope: give environments, labels or both, or leave scope out")
	}
	return &s
}
