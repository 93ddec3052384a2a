// Package mosquitto writes the configuration of a Mosquitto 2 broker for a
// network: one user per site and per service, each with a random password
// and its own ACL rules, a password file in mosquitto_passwd's format
// (PBKDF2-SHA512 "$7$" hashes), and optionally a self-signed CA and server
// certificate for a TLS listener. `sillage mqtt-users` is its command.
//
// # Users and rules (topic layout v1, see package iot)
//
//	SITE       write sillage/v1/sites/SITE/{epcis,stock,acks}, read sillage/v1/sites/SITE/commands
//	ingest     read sillage/v1/sites/+/{epcis,stock,acks}, write sillage/v1/sites/+/commands and sillage/v1/deadletter
//	planner    write sillage/v1/sites/+/commands
//	ops        read sillage/v1/#
//	simulator  (demo) write sillage/v1/sites/+/{epcis,stock}
//	warehouse  (demo) read sillage/v1/sites/+/commands, write sillage/v1/sites/+/{epcis,acks}
//
// # Files (see Generate)
//
//	DIR/mosquitto.conf      listeners, files, persistence; absolute paths   0644
//	DIR/passwd              user:$7$... a line, services then sites by id   0600
//	DIR/acl                 one "user" block per user, same order          0644
//	DIR/credentials/USER    USER's password and a newline                  0600 (directory 0700)
//	DIR/certs/ca.crt        the CA clients trust                           0644
//	DIR/certs/ca.key        its key                                        0600
//	DIR/certs/server.crt    the broker's certificate                       0644
//	DIR/certs/server.key    its key                                        0600
//	DIR/data/               the broker's persistence (default)             0700
//
// Running Generate again keeps every password whose credentials file
// exists, the CA, and the server certificate while it covers the hosts and
// lasts 30 more days; Options.Rotate replaces them all.
package mosquitto
