package colonfile

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Entry
	}{
		{"empty", "", nil},
		{"comments and blanks", "# users\n\n   \n  # indented comment\n", nil},
		{"entries", "alice:secret\n\n# bob next\n  bob : x:y  \r\ncarol\n:lone\n", []Entry{
			{Line: 1, Name: "alice", Value: "secret", Colon: true},
			{Line: 4, Name: "bob ", Value: " x:y", Colon: true},
			{Line: 5, Name: "carol"},
			{Line: 6, Name: "", Value: "lone", Colon: true},
		}},
		{"no final newline", "a:b", []Entry{{Line: 1, Name: "a", Value: "b", Colon: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %+v, want %+v", tc.data, got, tc.want)
			}
		})
	}
}

func TestParseLongLine(t *testing.T) {
	if _, err := Parse([]byte("a:" + strings.Repeat("x", 70_000) + "\n")); err == nil {
		t.Error("a line of 70,000 bytes: no error, want the scanner's")
	}
}
