// Package webhook signs and verifies HTTP callbacks with HMAC-SHA256, the
// way suppliers call back sillage (POST /supplier/confirmations).
//
// A sender with id ID and shared secret S sends three headers:
//
//	Sillage-Sender:    ID
//	Sillage-Timestamp: T, the time of sending in Unix seconds (decimal)
//	Sillage-Signature: sha256=HEX
//
// where HEX is the lower-case hexadecimal HMAC-SHA256, keyed with S, of
// the string T + "." + body (the request body's exact bytes). A Verifier
// refuses a request whose timestamp is more than its window (5 minutes by
// default) away from its clock, and a signature it has already accepted
// within that window (replay). Secrets are read from a file of
// "id: secret" lines that only its owner may read (see LoadSecrets).
package webhook
