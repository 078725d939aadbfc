package policyfile

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/policy"
)

// The kinds that watch the calendars of the other policies of the file:
// fit ([policy.FitAt]) and announce ([policy.Announce]).

// maxWatchers bounds the fit and announce policies of a file: each
// copies and watches every other policy, so that a file of many would
// take memory, and each evaluation time, in the square of its size.
const maxWatchers = 100

// isWatcher reports whether the entry n is of a kind that watches the
// others.
func isWatcher(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "kind" {
			k := n.Content[i+1].Value
			return n.Content[i+1].Kind == yaml.ScalarNode && (k == "fit" || k == "announce")
		}
	}
	return false
}

// watcher builds a fit or announce policy over the file's other
// policies; nil when a problem was recorded.
func (s *spec) watcher() policy.Policy {
	p := s.p
	if s.kind == "announce" {
		v, ok := s.required("lead")
		if !ok {
			return nil
		}
		lead, ok := p.duration(v, s.field("lead"))
		if !ok {
			return nil
		}
		if lead <= 0 {
			p.failf(v, s.field("lead"), "%q announces nothing: want a positive duration", v.Value)
			return nil
		}
		return policy.Announce(lead, p.others)
	}
	q := 0.9
	if v, ok := s.fs["quantile"]; ok {
		if q, ok = p.quantile(v, s.field("quantile")); !ok {
			return nil
		}
	}
	return policy.FitAt(q, p.others)
}

// quantile reads a quantile written p90 (or P95, p99.9) or as a share
// (0.9), in (0, 1].
func (p *parser) quantile(n *yaml.Node, path string) (float64, bool) {
	s, ok := p.str(n, path)
	if !ok {
		return 0, false
	}
	v, scale := strings.TrimSpace(s), 1.0
	if rest, cut := strings.CutPrefix(strings.ToLower(v), "p"); cut {
		v, scale = rest, 100
	}
	q, err := strconv.ParseFloat(v, 64)
	if err != nil || !(q/scale > 0 && q/scale <= 1) {
		p.failf(n, path, "%q is not a quantile: want p90, p95 or a share such as 0.9, above 0 and at most 1", s)
		return 0, false
	}
	return q / scale, true
}
