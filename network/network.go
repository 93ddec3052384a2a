package network

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sillage/sillage"
)

// MaxFileBytes is the largest network file Load accepts, in bytes (64 MiB).
// A network with hundreds of sites and products and two years of weekly
// demand history stays well below it.
const MaxFileBytes = 64 << 20

// ErrTooLarge is returned for a file over MaxFileBytes.
var ErrTooLarge = errors.New("network file too large")

// Error is a failure to load a network file. It names the file and, where
// known, the line.
type Error struct {
	File string // file name as given
	Line int    // 1-based line, 0 when unknown
	Err  error  // the failure; a *sillage.FieldError for a bad field
}

// Error formats as "file:line: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the underlying failure.
func (e *Error) Unwrap() error { return e.Err }

// Errors is the list of failures of one file.
type Errors []*Error

// Error lists up to ten failures, one per line, and counts the rest.
func (es Errors) Error() string {
	const shown = 10
	var b strings.Builder
	for i, e := range es {
		if i == shown {
			fmt.Fprintf(&b, "\n... and %d more", len(es)-shown)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap exposes every failure to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Load reads, decodes, completes (sillage.Network.ApplyDefaults) and
// validates the network file at path.
func Load(path string) (*sillage.Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open network file: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxFileBytes {
		return nil, &Error{File: path, Err: fmt.Errorf("%w: %d bytes, the limit is %d bytes (%d MiB)", ErrTooLarge, st.Size(), MaxFileBytes, MaxFileBytes>>20)}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("read: %w", err)}
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{File: path, Err: fmt.Errorf("%w: more than %d bytes (%d MiB)", ErrTooLarge, MaxFileBytes, MaxFileBytes>>20)}
	}
	return Parse(path, data)
}

// Parse decodes, completes and validates a network file held in data; name
// is used in error messages.
func Parse(name string, data []byte) (*sillage.Network, error) {
	fail := func(line int, err error) error { return &Error{File: name, Line: line, Err: err} }
	if len(data) > MaxFileBytes {
		return nil, fail(0, fmt.Errorf("%w: %d bytes, the limit is %d bytes", ErrTooLarge, len(data), MaxFileBytes))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(0, fmt.Errorf("%w: the file is empty; want a YAML mapping with keys %s", sillage.ErrInvalid, strings.Join(topKeys, ", ")))
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fail(yamlErrLine(err), fmt.Errorf("%w: YAML: %v", sillage.ErrInvalid, trimYAMLErr(err)))
	}
	if len(doc.Content) == 0 {
		return nil, fail(0, fmt.Errorf("%w: the file holds no YAML document", sillage.ErrInvalid))
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root.Line, fmt.Errorf("%w: the top level must be a mapping with keys %s", sillage.ErrInvalid, strings.Join(topKeys, ", ")))
	}
	if es := checkKeys(name, root); len(es) > 0 {
		return nil, es
	}
	var n sillage.Network
	if err := root.Decode(&n); err != nil {
		return nil, decodeErrors(name, err)
	}
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		return nil, locate(name, root, err)
	}
	return &n, nil
}

// Marshal encodes a network as a network file.
func Marshal(n *sillage.Network) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("encode network: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode network: %w", err)
	}
	return b.Bytes(), nil
}

// yamlErrLine extracts "line N" from a yaml.v3 error message, or 0.
func yamlErrLine(err error) int {
	msg := err.Error()
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0
	}
	rest := msg[i+len("line "):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(rest[:j])
	return n
}

func trimYAMLErr(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// decodeErrors turns a yaml.TypeError into one Error per message.
func decodeErrors(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return &Error{File: name, Line: yamlErrLine(err), Err: fmt.Errorf("%w: %v", sillage.ErrInvalid, trimYAMLErr(err))}
	}
	var es Errors
	for _, m := range te.Errors {
		es = append(es, &Error{File: name, Line: yamlErrLine(errors.New(m)), Err: fmt.Errorf("%w: %s", sillage.ErrInvalid, m)})
	}
	return es
}
