// Package mosquittotest starts a real Mosquitto broker for tests: on a free
// port of 127.0.0.1, with persistence in the test's temporary directory,
// optional users (password file made with mosquitto_passwd), an ACL and
// TLS. The broker is stopped when the test ends.
package mosquittotest
