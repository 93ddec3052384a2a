package network

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
)

// MaxFileBytes is the largest network file Load, Read and Parse accept, in
// bytes (64 MiB). A network of 250 sites and 400 products with two years of
// weekly demand at every boutique stays below it (see the size table in
// the README).
const MaxFileBytes = 64 << 20

// ErrTooLarge is returned, wrapped in an *Error, for a file over
// MaxFileBytes. It also matches sillage.ErrInvalid.
var ErrTooLarge = errors.New("network file too large")

// Error is a failure to load a network file. It names the file and, where
// known, the line. Err is a *sillage.FieldError for a bad record or field,
// so that the message reads "file:line: lanes[12].to: unknown site ...".
// Every Error of bad content matches sillage.ErrInvalid.
type Error struct {
	File string // file name as given
	Line int    // 1-based line, 0 when unknown
	Err  error  // the failure; a *sillage.FieldError for a bad field
}

// Error formats as "file:line: message", or "file: message" without a line.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the underlying failure.
func (e *Error) Unwrap() error { return e.Err }

// Errors is the list of failures of one file, in the order found.
type Errors []*Error

// Error lists up to ten failures, one per line, and counts the rest.
func (es Errors) Error() string { return sillage.ErrorList(es) }

// Unwrap exposes every failure to errors.Is and errors.As.
func (es Errors) Unwrap() []error { return sillage.UnwrapList(es) }

// invalid is a message about bad content that is not tied to one field. It
// matches sillage.ErrInvalid without saying so in its text.
type invalid struct {
	msg  string
	also error // an extra sentinel to match, such as ErrTooLarge
}

func (e *invalid) Error() string { return e.msg }
func (e *invalid) Unwrap() []error {
	if e.also == nil {
		return []error{sillage.ErrInvalid}
	}
	return []error{sillage.ErrInvalid, e.also}
}

func invalidf(format string, args ...any) error {
	return &invalid{msg: fmt.Sprintf(format, args...)}
}

func tooLarge(size int64, exact bool) error {
	what := fmt.Sprintf("%d bytes (%.1f MiB)", size, float64(size)/(1<<20))
	if !exact {
		what = fmt.Sprintf("more than %d bytes", size-1)
	}
	return &invalid{
		msg:  fmt.Sprintf("too large: %s; a network file may hold at most %d bytes (%d MiB)", what, MaxFileBytes, MaxFileBytes>>20),
		also: ErrTooLarge,
	}
}

// Load reads, decodes, completes (sillage.Network.ApplyDefaults) and
// validates the network file at path. A file larger than MaxFileBytes is
// refused before it is read. Errors are *Error or Errors values (see
// Parse), or the error of opening the file.
func Load(path string) (*sillage.Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open network file: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileBytes {
		return nil, &Error{File: path, Err: tooLarge(st.Size(), true)}
	}
	return Read(path, f)
}

// Read is Load for a stream, such as standard input: it reads at most
// MaxFileBytes+1 bytes of r and refuses the file when there are more. name
// is used in error messages.
func Read(name string, r io.Reader) (*sillage.Network, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("read network file: %w", err)}
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{File: name, Err: tooLarge(int64(len(data)), false)}
	}
	return Parse(name, data)
}

// Parse decodes, completes (sillage.Network.ApplyDefaults) and validates a
// network file held in data; name is used in error messages.
//
// It returns an *Error for a failure of the whole file (empty, too large,
// broken YAML), or Errors listing every bad record and field, each with
// its line, such as
//
//	maison.yaml:812: lanes[12].to: unknown site "PAR-9"
//
// Every error matches sillage.ErrInvalid; a *sillage.FieldError inside
// gives the path of the record and field.
//
// Parse takes time and memory linear in the size of data. Large list
// sections written one flow record per line, as Write emits them, are read
// without building a YAML tree (about ten times faster).
func Parse(name string, data []byte) (*sillage.Network, error) {
	return parse(name, data, fastAuto)
}

// fastMode chooses whether parse uses the fast reader.
type fastMode int

const (
	fastAuto   fastMode = iota // for files of at least fastMinBytes
	fastAlways                 // for every file (tests)
	fastNever                  // yaml.v3 only (tests)
)

func parse(name string, data []byte, mode fastMode) (*sillage.Network, error) {
	fail := func(line int, err error) error { return &Error{File: name, Line: line, Err: err} }
	if len(data) > MaxFileBytes {
		return nil, fail(0, tooLarge(int64(len(data)), true))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(0, invalidf("the file is empty; want a YAML mapping with the keys %s", strings.Join(topKeyNames(), ", ")))
	}
	var fr fastResult
	if mode == fastAlways || mode == fastAuto && len(data) >= fastMinBytes {
		fr = scanFast(data)
	}
	var root *yaml.Node
	var err error
	if len(fr.sections) > 0 {
		root, err = decodeTree(name, fr.blanked)
		if err != nil || !fr.matches(root) {
			// Not what the scan expected: read the file as it is.
			fr = fastResult{}
		}
	}
	if len(fr.sections) == 0 {
		if root, err = decodeTree(name, data); err != nil {
			return nil, err
		}
	}
	if es := checkTree(name, root); len(es) > 0 {
		return nil, es
	}
	n, err := decodeNetwork(name, root)
	if err != nil {
		return nil, err
	}
	for key, fs := range fr.sections {
		setSection(n, key, fs.records)
	}
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		return nil, locator{root: root, fast: fr.sections}.locate(name, err)
	}
	return n, nil
}

// decodeTree parses data into a YAML tree and returns its top-level
// mapping. It refuses a file without a document, with more than one, or
// whose top level is not a mapping.
func decodeTree(name string, data []byte) (root *yaml.Node, err error) {
	defer func() {
		// yaml.v3 is not ours; should it panic on some input, report the
		// input as bad rather than crash the caller.
		if r := recover(); r != nil {
			root, err = nil, &Error{File: name, Err: invalidf("YAML parser failed: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Err: invalidf("the file holds no YAML document, only comments or blank lines")}
		}
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(name, err)
	default:
		return nil, &Error{File: name, Line: extra.Line, Err: invalidf("a second YAML document starts here; a network file holds one")}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Err: invalidf("the file holds no YAML document")}
	}
	root = doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Err: invalidf("the top level must be a mapping with the keys %s, not %s", strings.Join(topKeyNames(), ", "), describe(root))}
	}
	return root, nil
}

// yamlErrRE splits a yaml.v3 error message into its line and text.
var yamlErrRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// parserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner). yaml.v3 reports their line counted from 0, and none when that
// is 0; yamlError adds the missing 1.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlError turns a yaml.v3 syntax error into "file:line: YAML syntax: msg".
func yamlError(name string, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlErrRE.FindStringSubmatchIndex(msg); m != nil {
		if m[2] >= 0 {
			line, _ = strconv.Atoi(msg[m[2]:m[3]])
		}
		msg = msg[m[1]:]
	}
	if parserProblems[msg] {
		line++
	}
	return &Error{File: name, Line: line, Err: invalidf("YAML syntax: %s", msg)}
}

// decodeNetwork decodes a checked tree. After checkTree found nothing,
// yaml.v3 has nothing left to object to; should it still, its messages
// are passed on with their lines.
func decodeNetwork(name string, root *yaml.Node) (n *sillage.Network, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, &Error{File: name, Err: invalidf("YAML decoder failed: %v", r)}
		}
	}()
	n = new(sillage.Network)
	if err := root.Decode(n); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, yamlError(name, err)
		}
		var es Errors
		for _, m := range te.Errors {
			e := yamlError(name, errors.New("yaml: "+m)).(*Error)
			e.Err = invalidf("%s", strings.TrimPrefix(e.Err.Error(), "YAML syntax: "))
			es = append(es, e)
		}
		return nil, es
	}
	return n, nil
}

// networkField maps a top-level key to the index of its field in
// sillage.Network.
var networkField = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeOf(sillage.Network{})
	for i := 0; i < t.NumField(); i++ {
		if name := yamlName(t.Field(i)); name != "" {
			m[name] = i
		}
	}
	return m
}()

// setSection stores the records of a fast section in n.
func setSection(n *sillage.Network, key string, records reflect.Value) {
	reflect.ValueOf(n).Elem().Field(networkField[key]).Set(records)
}
