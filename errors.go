package sillage

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Every error the project returns for bad input wraps ErrInvalid;
// callers decide with errors.Is.
var (
	// ErrInvalid marks input that breaks a rule of the domain model: a bad
	// field, an unknown reference, a duplicate key. Retrying never helps.
	ErrInvalid = errors.New("invalid input")
	// ErrNotFound marks a lookup of something that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict marks a write that clashes with what is already stored,
	// such as a second order under the same id with other content.
	ErrConflict = errors.New("conflict")
)

// FieldError is a validation failure of one field of one record. Path names
// the record and the field as in the network file, for example
// "lanes[12].to" or "products[3].gtin".
type FieldError struct {
	Path string // record and field, e.g. "sites[4].gln"
	Msg  string // what is wrong, e.g. `unknown site "PAR-9"`
}

// Error implements error as "path: message".
func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

// Unwrap makes every FieldError match ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Errors is a list of validation failures, reported together so that one
// pass over a file shows every problem in it.
type Errors []*FieldError

// Error lists up to ten failures, one per line, and counts the rest.
func (es Errors) Error() string { return ErrorList(es) }

// ErrorList formats a list of errors for people: up to ten, one per line,
// then a count of the rest ("... and 12 more").
func ErrorList[E error](es []E) string {
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

// Unwrap exposes the individual failures to errors.Is and errors.As.
func (es Errors) Unwrap() []error { return UnwrapList(es) }

// UnwrapList returns es as a []error: the Unwrap of a list of errors, for
// errors.Is and errors.As.
func UnwrapList[E error](es []E) []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// errs collects FieldErrors during validation.
type errs struct{ list Errors }

func (c *errs) add(path, format string, args ...any) {
	c.list = append(c.list, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (c *errs) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return c.list
}
