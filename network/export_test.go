package network

import "github.com/sillage/sillage"

// Hooks for the external tests (package network_test).

// ParseSlow parses with yaml.v3 only.
func ParseSlow(name string, data []byte) (*sillage.Network, error) {
	return parse(name, data, fastNever)
}

// ParseFast parses with the fast reader whatever the size of data.
func ParseFast(name string, data []byte) (*sillage.Network, error) {
	return parse(name, data, fastAlways)
}

// FastSections lists the sections the fast reader decodes in data.
func FastSections(data []byte) []string {
	var keys []string
	fr := scanFast(data)
	for _, s := range sections {
		if _, ok := fr.sections[s.key]; ok {
			keys = append(keys, s.key)
		}
	}
	return keys
}
