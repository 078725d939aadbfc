package checklist

import (
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// str reads a string field: a scalar that YAML reads as a string (a
// number, a boolean or a date must be quoted), or null for "".
func str(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", why(ErrInvalid, "invalid value: want a string, got %s", describe(n))
	}
	switch n.ShortTag() {
	case "!!null":
		return "", nil
	case "!!str":
		return n.Value, nil
	}
	return "", notString(n)
}

// notString explains that a scalar is not a string.
func notString(n *yaml.Node) error {
	what := "a " + strings.TrimPrefix(n.ShortTag(), "!!")
	switch n.ShortTag() {
	case "!!int", "!!float":
		what = "a number"
	case "!!bool":
		what = "a boolean"
	case "!!timestamp":
		what = "a date"
	}
	return why(ErrInvalid, "invalid value: want a string, got %s, %s: quote it", what, n.Value)
}

func boolean(n *yaml.Node) (bool, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		return strings.EqualFold(n.Value, "true"), nil
	}
	return false, why(ErrInvalid, "invalid value: want true or false, got %s", describe(n))
}

func duration(n *yaml.Node) (time.Duration, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return 0, nil
	}
	if n.Kind != yaml.ScalarNode {
		return 0, why(ErrInvalid, "invalid value: want a duration such as \"-1h\", got %s", describe(n))
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		return 0, why(ErrInvalid, "invalid value: want a duration such as \"-1h\" or \"-30m\", got %q", n.Value)
	}
	return d, nil
}

func strs(n *yaml.Node) ([]string, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, why(ErrInvalid, "invalid value: want a list of item IDs, got %s", describe(n))
	}
	if len(n.Content) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		c = deref(c)
		if c.Kind != yaml.ScalarNode || c.ShortTag() == "!!null" {
			return nil, why(ErrInvalid, "invalid value: want a list of item IDs, got %s in it", describe(c))
		}
		if c.ShortTag() != "!!str" {
			return nil, notString(c)
		}
		out = append(out, c.Value)
	}
	return out, nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}
