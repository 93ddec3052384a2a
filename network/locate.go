package network

import (
	"errors"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
)

// locator finds the line of a record or field path ("lanes[12].to",
// "demand[3].weekly[7]") in a parsed file: in the YAML tree, or, for the
// sections the fast reader decoded, in the line numbers it kept.
type locator struct {
	root *yaml.Node
	fast map[string]*fastSection
}

// locate attaches the file and line to each validation failure in err.
func (lc locator) locate(file string, err error) error {
	var fes sillage.Errors
	var fe *sillage.FieldError
	switch {
	case errors.As(err, &fes):
	case errors.As(err, &fe):
		fes = sillage.Errors{fe}
	default:
		return &Error{File: file, Err: err}
	}
	es := make(Errors, 0, len(fes))
	for _, fe := range fes {
		es = append(es, &Error{File: file, Line: lc.line(fe.Path), Err: fe})
	}
	return es
}

// line returns the line of the node at path, or of its deepest existing
// ancestor; 0 when none is found.
func (lc locator) line(path string) int {
	parts := splitPath(path)
	if len(parts) > 0 && parts[0].index < 0 {
		if fs, ok := lc.fast[parts[0].key]; ok {
			switch {
			case len(parts) == 1:
				return fs.lines[0]
			case parts[1].index >= 0 && parts[1].index < len(fs.lines):
				return fs.lines[parts[1].index] // a record is one line
			default:
				return fs.keyLine
			}
		}
	}
	n := lc.root
	line := 0
	for _, part := range parts {
		var next *yaml.Node
		for i := 0; i < 16 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
			n = n.Alias
		}
		switch {
		case part.index >= 0 && n.Kind == yaml.SequenceNode && part.index < len(n.Content):
			next = n.Content[part.index]
		case part.index < 0 && n.Kind == yaml.MappingNode:
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == part.key {
					next = n.Content[j+1]
					break
				}
			}
		}
		if next == nil {
			break
		}
		n, line = next, next.Line
	}
	return line
}

// pathPart is one step of a path: a key, or an index when index >= 0.
type pathPart struct {
	key   string
	index int // -1 for a key
}

func splitPath(path string) []pathPart {
	var parts []pathPart
	for _, seg := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		if name != "" {
			parts = append(parts, pathPart{key: name, index: -1})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if err != nil {
				break
			}
			parts = append(parts, pathPart{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return parts
}
