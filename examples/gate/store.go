package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// storeOptions are the flags that point the gate at a store of records:
// -store DIR or URL, -project NAME, -rollout NAME, -exclusive ENV and
// -conflicts.
type storeOptions struct {
	dir, project, rollout string // dir: a directory or a PostgreSQL URL
	exclusive             []string
	conflicts             string // deny or warn
}

// storeFlags registers the store's flags on fs.
func storeFlags(fs *flag.FlagSet, s *storeOptions) {
	fs.StringVar(&s.dir, "store", "", "")
	fs.StringVar(&s.project, "project", "", "")
	fs.StringVar(&s.rollout, "rollout", "", "")
	fs.Func("exclusive", "", func(v string) error {
		for _, env := range strings.Split(v, ",") {
			if env = strings.TrimSpace(env); env == "" {
				return fmt.Errorf("%q: want environment names separated by commas, e.g. prod", v)
			}
			s.exclusive = append(s.exclusive, env)
		}
		return nil
	})
	fs.StringVar(&s.conflicts, "conflicts", "deny", "")
}

// check reports flags of the store given without the others.
func (s *storeOptions) check() error {
	switch {
	case s.dir == "" && (s.project != "" || s.rollout != "" || len(s.exclusive) > 0):
		return flagError(errors.New("-project, -rollout and -exclusive need -store DIR or URL"))
	case s.dir != "" && (s.project == "" || s.rollout == ""):
		return flagError(errors.New("-store needs -project NAME and -rollout NAME: the rollout of the store this change is"))
	case s.conflicts != "deny" && s.conflicts != "warn":
		return flagError(fmt.Errorf("-conflicts %q: want deny or warn", s.conflicts))
	}
	return nil
}

// storePolicies returns the policies the store adds to the file's set
// for change c: the schedule's conflicts (fleet.PolicyName) for the
// rollout named, and a warning ("fleet-store") naming the records that
// did not read, since a conflict with one of them would go unseen. None
// without -store.
//
// The file's own conflicts policies (kind: conflicts, policy.Conflicts)
// get the schedule's check, with their exclusive environments and those
// of -exclusive; the file then says how conflicts count, and -conflicts
// adds nothing, unless every such entry is scoped (to environments or
// labels): the -conflicts check is then added too, for the changes out
// of their scope. Without -store they stay unchecked and deny every
// change (fail closed).
//
// The schedule is read once, at c.Now: the rollouts' statuses are those
// of that instant. A rollout the store does not hold is bad input, as is
// a store that does not read: the conflicts must not pass unchecked
// because of a typo.
func (s *storeOptions) storePolicies(ctx context.Context, c policy.Change, file policy.Set) ([]policy.Policy, error) {
	if s.dir == "" {
		return nil, nil
	}
	now := c.Now
	sched, done, err := s.open(ctx, &fleet.Options{Now: func() time.Time { return now }})
	if err != nil {
		return nil, err
	}
	defer done()
	snap := sched.Snapshot()
	if _, ok := snap.Find(s.project, s.rollout); !ok {
		err := badf("-project %s -rollout %s: no such rollout in the store %s (%d rollouts read)",
			s.project, s.rollout, s.name(), len(snap.Entries))
		if len(snap.Errors) > 0 {
			err = badf("%w; %s", err, leftOut(snap.Errors))
		}
		return nil, err
	}
	var out []policy.Policy
	asked := false
	for _, q := range file {
		if fc, ok := policy.As[*policy.Conflicts](q); ok {
			rules := fleet.Rules{Exclusive: append(slices.Clone(s.exclusive), fc.Exclusive...)}
			fc.Against = snap.Policy(s.project, s.rollout, rules, policy.Deny)
			// An entry scoped to some environments does not stand for
			// the check in the others.
			asked = asked || !policy.IsScoped(q)
		}
	}
	if !asked {
		verdict := policy.Deny
		if s.conflicts == "warn" {
			verdict = policy.Warn
		}
		out = append(out, snap.Policy(s.project, s.rollout, fleet.Rules{Exclusive: s.exclusive}, verdict))
	}
	if len(snap.Errors) > 0 {
		out = append(out, unread(snap.Errors))
	}
	return out, nil
}

// storeTimeout bounds the reading of a PostgreSQL store: a server that
// does not answer is bad input, not a wait.
const storeTimeout = 30 * time.Second

// storeConnectTimeout bounds the connection to it: a server that refuses
// or does not answer (a wrong host or port) fails the job in seconds,
// where the driver would otherwise retry for the whole storeTimeout.
const storeConnectTimeout = 5 * time.Second

// isURL reports whether the -store given is a PostgreSQL URL rather
// than a directory.
func (s *storeOptions) isURL() bool {
	return strings.HasPrefix(s.dir, "postgres://") || strings.HasPrefix(s.dir, "postgresql://")
}

// name is the -store given, for messages: a URL without its password,
// whether in the URL's user part or in its parameters.
func (s *storeOptions) name() string {
	if !s.isURL() {
		return s.dir
	}
	u, err := url.Parse(s.dir)
	if err != nil {
		return "a PostgreSQL URL that does not parse"
	}
	q := u.Query()
	for _, k := range []string{"password", "sslpassword"} {
		if q.Has(k) {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}

// open reads the schedule of the store: a directory (fleet.OpenDir) or
// a PostgreSQL database (fleet.OpenDB), whose schema is the URL's
// parameter "schema" (pgstore's default without it). The gate only
// reads: a schema that does not exist or is not at pgstore's version
// is bad input, never created or migrated. done closes what open
// opened.
func (s *storeOptions) open(ctx context.Context, opts *fleet.Options) (sched *fleet.Schedule, done func(), err error) {
	if !s.isURL() {
		sched, err := fleet.OpenDir(ctx, s.dir, opts)
		if err != nil && mayHoldPassword(s.dir) {
			why := "does not read"
			if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
				why = pe.Err.Error()
			}
			return nil, nil, badf("-store: not a directory (%s), nor a PostgreSQL URL (postgres://USER:PASSWORD@HOST/DB?schema=NAME, the scheme in lower case); not printed, as it may hold a password", why)
		}
		if err != nil {
			return nil, nil, badf("-store %s: %w", s.dir, err)
		}
		return sched, func() { sched.Close() }, nil
	}
	u, err := url.Parse(s.dir)
	if err != nil {
		return nil, nil, badf("-store: a PostgreSQL URL that does not parse: %s", redact(err))
	}
	q := u.Query()
	schema := q.Get("schema")
	q.Del("schema")
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	connectCtx, cancelConnect := context.WithTimeout(ctx, storeConnectTimeout)
	defer cancelConnect()
	db, err := pgstore.Open(connectCtx, u.String(), &pgstore.Options{Schema: schema, Timeout: storeTimeout, NoMigrate: true})
	if err != nil {
		return nil, nil, badf("-store %s: %w", s.name(), err)
	}
	sched, err = fleet.OpenDB(ctx, db, opts)
	if err != nil {
		db.Close()
		return nil, nil, badf("-store %s: %w", s.name(), err)
	}
	return sched, func() { sched.Close(); db.Close() }, nil
}

// mayHoldPassword reports whether a -store that is not a PostgreSQL URL
// may hold a password all the same: a connection string of another
// form ("host=db password=...", "POSTGRES://user:pw@db/x").
func mayHoldPassword(store string) bool {
	l := strings.ToLower(store)
	return strings.Contains(l, "password") || strings.Contains(l, "://") || strings.Contains(l, "@")
}

// redact drops the text of a URL's parse error, which quotes the URL,
// password included.
func redact(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "invalid URL"
}

// unread warns of the store's records that did not read: a conflict
// with one of their rollouts is not seen. -strict denies it.
func unread(errs []fleet.RecordError) policy.Policy {
	reason := leftOut(errs) + ", their conflicts unchecked"
	return policy.Func("fleet-store", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Policy: "fleet-store", Verdict: policy.Warn, Reason: reason}
	})
}

// leftOut names the records that did not read, each with its error.
func leftOut(errs []fleet.RecordError) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		parts = append(parts, e.Error())
	}
	return "records of the store left out: " + strings.Join(parts, "; ")
}
