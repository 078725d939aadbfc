package fleet

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mepkit/mepkit/timeline"
)

// meta is what a rollout's creation says that mep's API does not hand
// out: its environment and labels.
type meta struct {
	Environment string            `json:"environment"`
	Labels      map[string]string `json:"labels"`
}

// rolloutMeta reads the environment and labels of the rollout that e
// creates, when e is mep's rollout event ("mep.rollout", or the legacy
// "x-mep.rollout"): its "rollout" attribute names the rollout, its "spec"
// attribute holds the environment and labels as JSON. It returns ok false
// for any other entry, and an error naming the seq for a spec that does
// not read.
func rolloutMeta(e *timeline.Entry) (name string, m meta, ok bool, err error) {
	k, isMep := strings.CutPrefix(e.Kind, "mep.")
	if !isMep {
		k, isMep = strings.CutPrefix(e.Kind, "x-mep.")
	}
	if !isMep || k != "rollout" {
		return "", meta{}, false, nil
	}
	name = e.Attrs["rollout"]
	if name == "" {
		return "", meta{}, false, fmt.Errorf("fleet: entry %d: a rollout without a name", e.Seq)
	}
	if spec, has := e.Attrs["spec"]; has {
		if err := json.Unmarshal([]byte(spec), &m); err != nil {
			return "", meta{}, false, fmt.Errorf("fleet: entry %d: the spec of rollout %q: %w", e.Seq, name, err)
		}
	}
	return name, m, true, nil
}
