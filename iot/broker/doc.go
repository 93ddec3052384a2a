// Package broker is the embedded MQTT broker of the one-command default
// (sillage broker, sillage dev), built on github.com/mochi-mqtt/server/v2.
// It listens on 127.0.0.1 unless told otherwise, speaks MQTT 3.1.1 and 5,
// optionally over TLS, and applies the same access rules as the Mosquitto
// ACL that sillage mqtt-users writes (package iot/mosquitto; see Allowed)
// when users are configured; a client that publishes where it may not is
// disconnected (MQTT 3.1.1 has no negative acknowledgement). Sessions and
// queued messages live in memory: a broker restart loses them. Production
// deployments use Mosquitto with persistence.
package broker
