package iot

import (
	"fmt"
	"strings"

	"github.com/sillage/sillage"
)

// Topic layout, version 1. {site} is a site id of the network.
const (
	TopicPrefix     = "sillage/v1/sites/" // followed by {site}/{kind}
	TopicDeadLetter = "sillage/v1/deadletter"

	KindEPCIS    = "epcis"    // site -> ingest: an EPCIS 2.0 document or one event
	KindStock    = "stock"    // site -> ingest: a stock snapshot, full or delta
	KindCommands = "commands" // ingest -> site: transfer orders and pick lists
	KindAcks     = "acks"     // site -> ingest: acknowledgements of commands
)

// Subscriptions are the topic filters the ingest subscribes to, each at
// QoS 1.
var Subscriptions = []string{
	TopicPrefix + "+/" + KindEPCIS,
	TopicPrefix + "+/" + KindStock,
	TopicPrefix + "+/" + KindAcks,
}

// SharedSubscriptions returns Subscriptions as MQTT shared subscriptions
// of group: "$share/GROUP/" + filter. The broker delivers each message to
// one subscriber of the group. The error wraps sillage.ErrInvalid when
// group is empty or holds '/', '+', '#' or a space.
func SharedSubscriptions(group string) ([]string, error) {
	if group == "" || strings.ContainsAny(group, "/+#\x00 ") {
		return nil, fmt.Errorf("%w: shared subscription group %q: want a name without '/', '+', '#' or spaces", sillage.ErrInvalid, group)
	}
	out := make([]string, len(Subscriptions))
	for i, f := range Subscriptions {
		out[i] = "$share/" + group + "/" + f
	}
	return out, nil
}

// SiteTopic returns the topic of one kind for a site, for example
// SiteTopic("DC-PAR", KindStock) = "sillage/v1/sites/DC-PAR/stock".
func SiteTopic(site, kind string) string { return TopicPrefix + site + "/" + kind }

// ParseTopic splits a site topic into the site and the kind. The error
// wraps sillage.ErrInvalid for any topic outside the layout.
func ParseTopic(topic string) (site, kind string, err error) {
	rest, ok := strings.CutPrefix(topic, TopicPrefix)
	if !ok {
		return "", "", fmt.Errorf("%w: topic %q is not under %s", sillage.ErrInvalid, topic, TopicPrefix)
	}
	site, kind, ok = strings.Cut(rest, "/")
	if !ok || site == "" || strings.Contains(kind, "/") {
		return "", "", fmt.Errorf("%w: topic %q is not %s{site}/{kind}", sillage.ErrInvalid, topic, TopicPrefix)
	}
	switch kind {
	case KindEPCIS, KindStock, KindCommands, KindAcks:
		return site, kind, nil
	}
	return "", "", fmt.Errorf("%w: topic %q: unknown kind %q", sillage.ErrInvalid, topic, kind)
}

// ValidSiteID reports whether a site id can be used as a topic level and
// as an MQTT user name in the ACL: not empty, no '/', '+', '#', NUL or
// space.
func ValidSiteID(id string) bool {
	return id != "" && !strings.ContainsAny(id, "/+#\x00 ")
}
