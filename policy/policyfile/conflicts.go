package policyfile

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/policy"
)

// conflicts reads a conflicts entry: its exclusive environments and
// whether a conflict only warns. The check itself is the program's
// (policy.Conflicts.Against).
func (s *spec) conflicts() policy.Policy {
	p := s.p
	c := &policy.Conflicts{}
	if v, ok := s.fs["exclusive"]; ok {
		if c.Exclusive = p.envList(v, s.field("exclusive")); c.Exclusive == nil {
			return nil
		}
	}
	if v, ok := s.fs["warn"]; ok {
		if c.Warn, ok = p.boolean(v, s.field("warn")); !ok {
			return nil
		}
	}
	return c
}

// envList reads a non-empty list of environments that a policy names,
// checking each against the file's list when there is one.
func (p *parser) envList(v *yaml.Node, path string) []string {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		p.failf(v, path, "want a list of environments, e.g. [production]")
		return nil
	}
	var out []string
	for i, e := range v.Content {
		f := path + "[" + strconv.Itoa(i) + "]"
		if env, ok := p.str(e, f); ok {
			if strings.TrimSpace(env) == "" {
				p.failf(e, f, "the environment is empty")
				continue
			}
			if strings.TrimSpace(env) != env {
				p.failf(e, f, "%q has spaces around it: no environment would match it", env)
				continue
			}
			if p.scopeEnvironment(e, f, env) {
				out = append(out, env)
			}
		}
	}
	return out
}
