package epcis

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaJSON is the EPCIS 2.0 JSON Schema published by GS1 (see
// schema/LICENSE).
//
//go:embed schema/EPCIS-JSON-Schema.json
var schemaJSON []byte

// schemaURL is the $id of the bundled schema.
const schemaURL = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json"

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// Schema returns the compiled EPCIS 2.0 JSON Schema. It is compiled once,
// on first use (about 55 kB of schema); later calls are free and it is
// safe for concurrent use.
func Schema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			schemaErr = fmt.Errorf("epcis: parse bundled schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.UseRegexpEngine(regexpEngine)
		if err := c.AddResource(schemaURL, doc); err != nil {
			schemaErr = fmt.Errorf("epcis: load bundled schema: %w", err)
			return
		}
		schema, schemaErr = c.Compile(schemaURL)
		if schemaErr != nil {
			schemaErr = fmt.Errorf("epcis: compile bundled schema: %w", schemaErr)
		}
	})
	return schema, schemaErr
}

// negLookahead matches the one construct of the schema's patterns that Go's
// RE2 syntax lacks: a pattern that is only an anchored negative lookahead,
// ^(?!(X)). It is equivalent to "X does not match at the start".
var negLookahead = regexp.MustCompile(`^\^\(\?!(.*)\)$`)

// notPrefix implements jsonschema.Regexp for ^(?!(X)).
type notPrefix struct {
	src string
	re  *regexp.Regexp // ^(?:X)
}

func (n notPrefix) MatchString(s string) bool { return !n.re.MatchString(s) }
func (n notPrefix) String() string            { return n.src }

// regexpEngine compiles the patterns of the schema with the standard
// library, translating anchored negative lookaheads (which RE2 lacks) into
// a negated prefix match.
func regexpEngine(s string) (jsonschema.Regexp, error) {
	if m := negLookahead.FindStringSubmatch(s); m != nil {
		re, err := regexp.Compile(`^(?:` + m[1] + `)`)
		if err != nil {
			return nil, err
		}
		return notPrefix{src: s, re: re}, nil
	}
	return regexp.Compile(s)
}

// printer renders schema errors in English.
var printer = message.NewPrinter(language.English)

// schemaReason condenses a validation error into one line per failing
// leaf: "at /path: message", at most maxReasons of them, sorted.
func schemaReason(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var leaves []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, "at /"+strings.Join(e.InstanceLocation, "/")+": "+e.ErrorKind.LocalizedString(printer))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(leaves)
	leaves = slices.Compact(leaves) // sorted: drops repeated reasons
	const maxReasons = 5
	if len(leaves) > maxReasons {
		leaves = append(leaves[:maxReasons], fmt.Sprintf("and %d more", len(leaves)-maxReasons))
	}
	return strings.Join(leaves, "; ")
}
