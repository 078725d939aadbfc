package checklist

import "go.yaml.in/yaml/v3"

// aliasSlack is how many nodes the aliases of a small document may add
// beyond doubling it: an anchored owner or list of dependencies reused by
// a few items stays well within it.
const aliasSlack = 10_000

// checkAliases refuses a document whose aliases expand it beyond twice
// its written size (plus [aliasSlack] nodes), or that holds an alias to a
// node enclosing it. The decoder follows aliases, so that without the
// check a few kilobytes that reuse an item holding a reused list of
// dependencies decode to gigabytes. It takes time linear in the size of
// the document as written.
func checkAliases(doc *yaml.Node) *Error {
	c := aliasCheck{sizes: map[*yaml.Node]int{}}
	c.limit = 2*written(doc) + aliasSlack
	c.expand(doc)
	switch {
	case c.cycle != nil:
		return &Error{Line: c.cycle.Line, Column: c.cycle.Column, Index: -1,
			Err: why(ErrInvalid, "syntax error: alias *%s refers to a node that holds it", c.cycle.Value)}
	case c.over != nil:
		return &Error{Line: c.over.Line, Column: c.over.Column, Index: -1,
			Err: why(ErrInvalid, "syntax error: alias *%s expands the document to more than %s nodes, twice its written size", c.over.Value, thousands(c.limit))}
	}
	return nil
}

// written returns the number of nodes of the tree at n as written, an
// alias counting one.
func written(n *yaml.Node) int {
	count := 1
	for _, c := range n.Content {
		count += written(c)
	}
	return count
}

// aliasCheck counts the nodes of a document with its aliases expanded.
type aliasCheck struct {
	limit int
	// sizes holds the expanded size of each anchored node an alias
	// reached, capped at limit+1; -1 while it is being counted.
	sizes map[*yaml.Node]int
	last  *yaml.Node // the alias counted last
	over  *yaml.Node // the alias counted last when the count passed limit
	cycle *yaml.Node // an alias inside the node it refers to
}

// expand returns the number of nodes of the tree at n, aliases expanded,
// capped at c.limit+1. Nodes as written are fewer than limit: an alias
// was counted before the count passes it.
func (c *aliasCheck) expand(n *yaml.Node) int {
	if c.over != nil || c.cycle != nil {
		return c.limit + 1
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		c.last = n
		size, seen := c.sizes[n.Alias]
		switch {
		case seen && size < 0:
			c.cycle = n
			return c.limit + 1
		case !seen:
			c.sizes[n.Alias] = -1
			size = c.expand(n.Alias)
			c.sizes[n.Alias] = size
		}
		if size > c.limit && c.over == nil && c.cycle == nil {
			c.over = n
		}
		return size
	}
	count := 1
	for _, ch := range n.Content {
		count = min(count+c.expand(ch), c.limit+1)
		if count > c.limit && c.over == nil && c.cycle == nil {
			c.over = c.last
		}
	}
	return count
}
