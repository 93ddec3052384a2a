package clp

/*
#include <stdlib.h>
#include <coin/Clp_C_Interface.h>
*/
import "C"

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unsafe"
)

// clpPath returns path in a form CLP opens as a file: CLP reads standard
// input for the names "-" and "stdin", so a bare name gets a "./" prefix.
func clpPath(path string) string {
	if !strings.ContainsRune(path, '/') {
		return "./" + path
	}
	return path
}

// ReadMPS replaces the model's problem with the one in an MPS file (fixed
// or free format; gzip- or bzip2-compressed files are read directly, CLP
// detects them). Row and column names are kept for WriteMPS. Integrality
// markers are ignored: the model is the LP relaxation. The objective
// direction and the limits are kept; the basis is discarded.
//
// A missing or unreadable file returns the *fs.PathError from the operating
// system (test with errors.Is(err, fs.ErrNotExist)); a file CLP cannot parse
// returns an error wrapping ErrMPS, and the model keeps its previous problem.
func (m *Model) ReadMPS(path string) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	// Check the file in Go first, for a precise error.
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("clp: read MPS: %w", err)
	}
	fi, err := f.Stat()
	f.Close()
	if err != nil {
		return fmt.Errorf("clp: read MPS: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("%w: read %s: is a directory", ErrMPS, path)
	}
	cpath := C.CString(clpPath(path))
	defer C.free(unsafe.Pointer(cpath))
	m.release()
	r := int(C.Clp_readMps(m.p, cpath, 1, 0))
	m.flushLog()
	switch {
	case r == 0:
		m.solved, m.warm = false, false
		return nil
	case r == -1:
		return fmt.Errorf("%w: read %s: CLP cannot open it (compressed with a method CLP was built without?)", ErrMPS, path)
	case r < 0:
		return fmt.Errorf("%w: read %s: not an MPS file (CLP code %d)", ErrMPS, path, r)
	case r >= 100000:
		return fmt.Errorf("%w: read %s: too many errors, CLP gave up", ErrMPS, path)
	}
	return fmt.Errorf("%w: read %s: %d errors (raise the log level to see them)", ErrMPS, path, r)
}

// WriteMPS writes the problem to an MPS file in free format (CLP's "extra
// accuracy" output, marked FREE on its NAME line; read it with
// `clp FILE` or `glpsol --freemps FILE`), with the names set by SetNames
// or read by ReadMPS (others are CLP's R0000000 and C0000000); a name
// longer than MaxNameLength, which ReadMPS may have read, makes it fail
// with ErrMPS. A path ending in ".gz" is gzip-compressed. MPS
// has no objective direction, so a maximisation is written as the
// equivalent minimisation: its objective is negated, and so is the optimal
// value of the file.
func (m *Model) WriteMPS(path string) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	if !strings.HasSuffix(path, ".gz") {
		return m.writeMPS(path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sillage-*.mps")
	if err != nil {
		return fmt.Errorf("clp: write MPS: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)
	if err := m.writeMPS(tmpName); err != nil {
		return err
	}
	if err := gzipFile(tmpName, path); err != nil {
		return fmt.Errorf("clp: write MPS: %w", err)
	}
	return nil
}

// writeMPS writes an uncompressed MPS file.
func (m *Model) writeMPS(path string) error {
	if n := int(C.Clp_lengthNames(m.p)); n > MaxNameLength {
		return fmt.Errorf("%w: write %s: a name has %d bytes; CLP writes names of at most %d", ErrMPS, path, n, MaxNameLength)
	}
	// Create (or truncate) the file in Go for a precise error; CLP then
	// writes it.
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("clp: write MPS: %w", err)
	}
	f.Close()
	cpath := C.CString(clpPath(path))
	defer C.free(unsafe.Pointer(cpath))
	// formatType 1: extra accuracy; 2 values per line; objective sense +1:
	// write as a minimisation.
	r := int(C.Clp_writeMps(m.p, cpath, 1, 2, 1.0))
	m.flushLog()
	if r != 0 {
		return fmt.Errorf("%w: write %s: CLP code %d", ErrMPS, path, r)
	}
	return nil
}

// gzipFile compresses src into dst.
func gzipFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return zw.Close()
}
