package mosquitto

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sillage/sillage/internal/colonfile"
)

// The password hash of Mosquitto 2 (mosquitto_passwd's default):
// "$7$ITERATIONS$SALT$HASH", SALT 12 random bytes and HASH the 64 bytes of
// PBKDF2-HMAC-SHA512(password, SALT, ITERATIONS), both in standard base64
// with padding.
const (
	// DefaultIterations is mosquitto_passwd's iteration count. The
	// generator's passwords are 256 random bits, which no iteration count
	// makes any harder to guess; more iterations would only slow every
	// login.
	DefaultIterations = 101
	saltLen           = 12
	hashLen           = 64
)

// ErrBadHash marks a password hash that is not of the $7$ form.
var ErrBadHash = errors.New("not a mosquitto $7$ password hash")

// HashPassword returns the $7$ hash of password with salt and iterations,
// as mosquitto_passwd writes it. It costs iterations HMAC-SHA512 blocks.
func HashPassword(password string, salt []byte, iterations int) (string, error) {
	if iterations < 1 {
		return "", fmt.Errorf("hash password: %d iterations, want at least 1", iterations)
	}
	key, err := pbkdf2.Key(sha512.New, password, salt, iterations, hashLen)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	enc := base64.StdEncoding
	return "$7$" + strconv.Itoa(iterations) + "$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key), nil
}

// NewHash hashes password with a fresh random salt and DefaultIterations.
func NewHash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	return HashPassword(password, salt, DefaultIterations)
}

// VerifyPassword reports whether password matches a $7$ hash. The error
// wraps ErrBadHash when the hash is malformed.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 5 || parts[0] != "" || parts[1] != "7" {
		return false, fmt.Errorf("%w: want $7$ITERATIONS$SALT$HASH", ErrBadHash)
	}
	iter, err := strconv.Atoi(parts[2])
	if err != nil || iter < 1 {
		return false, fmt.Errorf("%w: iterations %q", ErrBadHash, parts[2])
	}
	salt, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil {
		return false, fmt.Errorf("%w: salt: %v", ErrBadHash, err)
	}
	want, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(want) != hashLen {
		return false, fmt.Errorf("%w: hash is not %d bytes of base64", ErrBadHash, hashLen)
	}
	got, err := pbkdf2.Key(sha512.New, password, salt, iter, hashLen)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ParsePasswd reads a Mosquitto password file, "user:hash" a line (blank
// lines and # comments skipped), into user -> hash. name is used in
// errors.
func ParsePasswd(name string, data []byte) (map[string]string, error) {
	entries, err := colonfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if !e.Colon || e.Name == "" || e.Value == "" {
			return nil, fmt.Errorf("%s:%d: want user:hash", name, e.Line)
		}
		if _, dup := out[e.Name]; dup {
			return nil, fmt.Errorf("%s:%d: user %q listed twice", name, e.Line, e.Name)
		}
		out[e.Name] = e.Value
	}
	return out, nil
}
