package mosquitto

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Owner is a numeric user and group that files are given to (chown).
type Owner struct{ UID, GID int }

// ParseOwner parses "UID:GID".
func ParseOwner(s string) (Owner, error) {
	u, g, ok := strings.Cut(s, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil || uid < 0 || gid < 0 {
		return Owner{}, fmt.Errorf("owner %q: want UID:GID, two numbers", s)
	}
	return Owner{uid, gid}, nil
}

// newPassword returns 256 random bits in base64url, without padding.
func newPassword() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ReadPassword reads a credentials file: the password is its first line,
// without surrounding spaces. The error wraps os.ErrNotExist for a
// missing file.
func ReadPassword(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	pw := strings.TrimSpace(line)
	if pw == "" {
		return "", fmt.Errorf("read password: %s: empty", path)
	}
	return pw, nil
}

// CredentialsFile returns the path of user's credentials file under dir.
func CredentialsFile(dir, user string) string { return filepath.Join(dir, DirCredentials, user) }

// writeFile replaces path atomically with data, mode perm and owner.
func writeFile(path string, data []byte, perm os.FileMode, owner *Owner) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := chown(tmp, owner); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func chown(path string, o *Owner) error {
	if o == nil {
		return nil
	}
	if err := os.Chown(path, o.UID, o.GID); err != nil {
		return fmt.Errorf("give %s to %d:%d: %w", path, o.UID, o.GID, err)
	}
	return nil
}
