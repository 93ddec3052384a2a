package iot

import (
	"fmt"
	"slices"
	"strconv"
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

// siteKinds are the kinds of topics a site publishes on, the ones an
// ingest subscribes to.
var siteKinds = []string{KindEPCIS, KindStock, KindAcks}

// Partition is one part of a network's sites, for an ingest that
// subscribes to the topics of those sites only: Index runs from 1 to
// Count. The sites, sorted by id, are dealt round robin: the i-th (from
// 0) belongs to the partition whose Index-1 is i modulo Count.
//
// Partitions exist because Mosquitto (2.0.x) does not keep shared
// subscriptions across its own restart: until an ingest of a $share group
// subscribes again, what sites publish has no subscriber and is dropped.
// The plain subscriptions of a persistent session are saved and restored,
// and what arrives while the ingest reconnects waits in its session.
type Partition struct {
	Index, Count int
}

// ParsePartition parses "K/N" (1 <= K <= N). The error wraps
// sillage.ErrInvalid.
func ParsePartition(s string) (Partition, error) {
	k, n, ok := strings.Cut(s, "/")
	p := Partition{}
	var err1, err2 error
	p.Index, err1 = strconv.Atoi(strings.TrimSpace(k))
	p.Count, err2 = strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || p.Count < 1 || p.Index < 1 || p.Index > p.Count {
		return Partition{}, fmt.Errorf("%w: partition %q: want K/N with 1 <= K <= N, such as 1/2", sillage.ErrInvalid, s)
	}
	return p, nil
}

// String returns "K/N".
func (p Partition) String() string { return strconv.Itoa(p.Index) + "/" + strconv.Itoa(p.Count) }

// PartitionSubscriptions returns the topic filters of the sites of p: the
// epcis, stock and acks topics of each, sites sorted. The error wraps
// sillage.ErrInvalid when a site id cannot be a topic level or when p
// holds none of sites (more partitions than sites).
//
// An ingest never unsubscribes: its persistent session keeps the filters
// of an earlier layout (another N, another list of sites, the wildcards
// of a single ingest), whose messages then reach two ingests and are
// applied once. Unsubscribing could leave a site with no subscriber while
// the ingests of a new layout start one by one.
func PartitionSubscriptions(sites []string, p Partition) ([]string, error) {
	if p.Count < 1 || p.Index < 1 || p.Index > p.Count {
		return nil, fmt.Errorf("%w: partition %d/%d: want 1 <= K <= N", sillage.ErrInvalid, p.Index, p.Count)
	}
	sorted := slices.Clone(sites)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	var own []string
	for i, s := range sorted {
		if !ValidSiteID(s) {
			return nil, fmt.Errorf("%w: site id %q cannot be a topic level", sillage.ErrInvalid, s)
		}
		if i%p.Count != p.Index-1 {
			continue
		}
		for _, kind := range siteKinds {
			own = append(own, SiteTopic(s, kind))
		}
	}
	if len(own) == 0 {
		return nil, fmt.Errorf("%w: partition %s holds none of the %d sites: use at most %d partitions", sillage.ErrInvalid, p, len(sorted), len(sorted))
	}
	return own, nil
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
