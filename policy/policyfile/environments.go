package policyfile

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// ErrEnvironment reports a change to an environment that a policy file
// does not know; see [File.CheckEnvironment].
var ErrEnvironment = errors.New("policyfile: unknown environment")

// CheckEnvironment reports, with an error wrapping [ErrEnvironment], a
// change to an environment that the file does not know, so that a typo
// ("production" for "prod") fails closed instead of leaving every
// policy scoped to "prod" out. When the file lists its environments, env
// must be one of them; when it does not, env must be one that a scope of
// its policies names, if any does. Names compare without regard to case,
// as scopes compare them. An empty env is not checked: a change that
// names no environment is out of every environment scope, which a
// program may tell apart with [File.ScopedEnvironments].
func (f File) CheckEnvironment(env string) error {
	if env == "" {
		return nil
	}
	known, what := f.Environments, "the policy file lists"
	if known == nil {
		known, what = f.ScopedEnvironments, "the scopes of the policy file name"
	}
	if len(known) == 0 || containsFold(known, env) {
		return nil
	}
	return fmt.Errorf("%w %q: the environments %s are %s", ErrEnvironment, env, what, shortList(known))
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(e string) bool { return strings.EqualFold(e, s) })
}

// foldKey returns s with each rune replaced by the least rune of its
// orbit under simple case folding: two strings have the same key exactly
// when strings.EqualFold reports them equal.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}

// foldSet is a set of names compared without regard to case.
type foldSet map[string]bool

// add adds s and reports whether it was not in the set yet.
func (fs *foldSet) add(s string) bool {
	if *fs == nil {
		*fs = foldSet{}
	}
	k := foldKey(s)
	if (*fs)[k] {
		return false
	}
	(*fs)[k] = true
	return true
}

func (fs foldSet) has(s string) bool { return fs[foldKey(s)] }

// shortList writes the first names of list, and how many others follow.
func shortList(list []string) string {
	const shown = 10
	if len(list) <= shown {
		return strings.Join(list, ", ")
	}
	return strings.Join(list[:shown], ", ") + " and " + strconv.Itoa(len(list)-shown) + " more"
}

// environments reads the file's list of environments.
func (p *parser) environments(n *yaml.Node) {
	const field = "environments"
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.failf(n, field, "want a list of environments, e.g. [production, staging]")
		return
	}
	p.envs = make([]string, 0, len(n.Content))
	for i, e := range n.Content {
		f := field + "[" + strconv.Itoa(i) + "]"
		env, ok := p.str(e, f)
		switch {
		case !ok:
		case strings.TrimSpace(env) == "":
			p.failf(e, f, "the environment is empty")
		case strings.TrimSpace(env) != env:
			p.failf(e, f, "%q has spaces around it: no environment would match it", env)
		case !p.envSet.add(env):
			p.failf(e, f, "%q is given twice", env)
		default:
			p.envs = append(p.envs, env)
		}
	}
	if len(p.envs) == 0 {
		p.envs = nil // every item has a problem, recorded
	}
}

// scopeEnvironment records an environment that a scope names, checking it
// against the file's list when there is one.
func (p *parser) scopeEnvironment(n *yaml.Node, field, env string) bool {
	if p.envs != nil && !p.envSet.has(env) {
		p.failf(n, field, "%q is not one of the environments the file lists: %s", env, shortList(p.envs))
		return false
	}
	if p.scopedSet.add(env) {
		p.scoped = append(p.scoped, env)
	}
	return true
}
