package main

import (
	"net"
	"net/url"
	"strings"
)

// checkDevBroker refuses a --broker of sillage dev that would carry MQTT,
// and its passwords, in clear beyond this machine: a plaintext scheme
// (tcp://, mqtt://, ws://) must name a loopback host; beyond it, use TLS
// (ssl://, tls://, mqtts://) with --ca-file.
func checkDevBroker(broker string) error {
	u, err := url.Parse(broker)
	if err != nil || u.Host == "" {
		return usageErrorf("--broker %q: want tcp://HOST:PORT or ssl://HOST:PORT", broker)
	}
	switch strings.ToLower(u.Scheme) {
	case "ssl", "tls", "mqtts", "mqtt+ssl", "tcps", "wss":
		return nil
	case "tcp", "mqtt", "ws":
	default:
		return usageErrorf("--broker %q: unknown scheme %q (tcp, ssl, tls, mqtts, ws, wss)", broker, u.Scheme)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return usageErrorf("--broker %q: plaintext MQTT only on loopback; for %s use ssl://%s with --ca-file", broker, host, u.Host)
}
