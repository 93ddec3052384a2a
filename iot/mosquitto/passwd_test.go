package mosquitto_test

import (
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage/iot/mosquitto"
)

// devIngest is the line mosquitto_passwd 2.0.11 wrote for user ingest,
// password "dev-ingest" (the former deploy/mosquitto/passwd).
const devIngest = "$7$101$ztGCvnM++5hNhPqI$afwVtLdCV8PgnKnsg+DXSOAVFgmHawzHPMsPtcdm7FTADVCvUcXPEH0tT7VwmFEdh9b2A6jnlg22yl35xHgnBw=="

// TestHashMatchesMosquittoPasswd recomputes hashes that mosquitto_passwd
// made: the one above, and fresh ones for several passwords when the
// tool is installed. Same salt and iterations must give the same line.
func TestHashMatchesMosquittoPasswd(t *testing.T) {
	cases := map[string]string{"dev-ingest": devIngest}
	if _, err := exec.LookPath("mosquitto_passwd"); err == nil {
		file := filepath.Join(t.TempDir(), "passwd")
		for i, pw := range []string{"x", "dev-DC-PAR", "Zz9_-long password with spaces and ünïcode ☃", strings.Repeat("p", 200)} {
			args := []string{"-b", file, "u", pw}
			if i == 0 {
				args = append([]string{"-c"}, args...)
			}
			if out, err := exec.Command("mosquitto_passwd", args...).CombinedOutput(); err != nil {
				t.Fatalf("mosquitto_passwd: %v: %s", err, out)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			users, err := mosquitto.ParsePasswd(file, data)
			if err != nil {
				t.Fatal(err)
			}
			cases[pw] = users["u"]
		}
	} else {
		t.Log("mosquitto_passwd not installed: checking the recorded hash only")
	}
	for pw, hash := range cases {
		ok, err := mosquitto.VerifyPassword(hash, pw)
		if err != nil || !ok {
			t.Errorf("VerifyPassword(%q, %q) = %v, %v; want true", hash, pw, ok, err)
		}
		if ok, _ := mosquitto.VerifyPassword(hash, pw+"!"); ok {
			t.Errorf("VerifyPassword accepts a wrong password for %q", hash)
		}
		// Recompute with the tool's salt and iterations.
		parts := strings.Split(hash, "$")
		salt, err := decodeStd(parts[3])
		if err != nil {
			t.Fatal(err)
		}
		got, err := mosquitto.HashPassword(pw, salt, 101)
		if err != nil || got != hash {
			t.Errorf("HashPassword(%q) = %q, %v; mosquitto_passwd wrote %q", pw, got, err, hash)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	for _, h := range []string{
		"", "plain", "$6$101$c2FsdA==$aGFzaA==", "$7$x$c2FsdA==$aGFzaA==", "$7$0$c2FsdA==$aGFzaA==",
		"$7$101$!!$aGFzaA==", "$7$101$c2FsdA==$aGFzaA==", // hash of 4 bytes, not 64
	} {
		if _, err := mosquitto.VerifyPassword(h, "pw"); !errors.Is(err, mosquitto.ErrBadHash) {
			t.Errorf("VerifyPassword(%q): %v, want ErrBadHash", h, err)
		}
	}
}

func TestParsePasswd(t *testing.T) {
	for _, c := range []struct {
		in, err string
		users   int
	}{
		{"# comment\n\na:$7$x\nb:$7$y\n", "", 2},
		{"a:$7$x\na:$7$y\n", "f:2: user \"a\" listed twice", 0},
		{"nohash\n", "f:1: want user:hash", 0},
		{":$7$x\n", "f:1: want user:hash", 0},
	} {
		got, err := mosquitto.ParsePasswd("f", []byte(c.in))
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParsePasswd(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || len(got) != c.users {
			t.Errorf("ParsePasswd(%q) = %v, %v", c.in, got, err)
		}
	}
}

func decodeStd(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
