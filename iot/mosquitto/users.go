package mosquitto

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

// The service users of the broker. Every other user is a site, named by
// its site id.
const (
	UserIngest    = "ingest"    // sillage ingest: reads the sites' messages, writes dead letters and resent commands
	UserPlanner   = "planner"   // sillage worker: publishes transfer orders and pick lists
	UserOps       = "ops"       // operators and health checks: read everything, write nothing
	UserSimulator = "simulator" // demo: sillage simulate, publishes RFID traffic for every site
	UserWarehouse = "warehouse" // demo: sillage warehouse, plays every site's warehouse system
)

// User is one broker account and the topic filters it may read
// (subscribe to and receive) and write (publish on).
type User struct {
	Name  string
	Site  bool // a site of the network (user name = site id), else a service
	Read  []string
	Write []string
}

// allSites is a topic filter over every site's topic of one kind.
func allSites(kind string) string { return iot.TopicPrefix + "+/" + kind }

// ServiceUsers returns the service users, in a fixed order: ingest,
// planner, ops, and with demo the simulator and warehouse, which may
// write on every site's topics and so belong to demonstrations and tests
// only.
func ServiceUsers(demo bool) []User {
	us := []User{
		{Name: UserIngest,
			Read:  []string{allSites(iot.KindEPCIS), allSites(iot.KindStock), allSites(iot.KindAcks)},
			Write: []string{iot.TopicDeadLetter, allSites(iot.KindCommands)}},
		{Name: UserPlanner, Write: []string{allSites(iot.KindCommands)}},
		{Name: UserOps, Read: []string{"sillage/v1/#"}},
	}
	if demo {
		us = append(us,
			User{Name: UserSimulator, Write: []string{allSites(iot.KindEPCIS), allSites(iot.KindStock)}},
			User{Name: UserWarehouse, Read: []string{allSites(iot.KindCommands)},
				Write: []string{allSites(iot.KindEPCIS), allSites(iot.KindAcks)}})
	}
	return us
}

// SiteUser returns the user of one site: it writes only its own epcis,
// stock and acks topics and reads only its own commands.
func SiteUser(site string) User {
	return User{Name: site, Site: true,
		Read: []string{iot.SiteTopic(site, iot.KindCommands)},
		Write: []string{iot.SiteTopic(site, iot.KindEPCIS), iot.SiteTopic(site, iot.KindStock),
			iot.SiteTopic(site, iot.KindAcks)}}
}

// Users returns the service users (see ServiceUsers) followed by one user
// per site of n, sorted by site id. It fails when a site id cannot be a
// user name and a topic level (see iot.ValidSiteID; ':' is refused too,
// the password file's separator) or is a service's name.
func Users(n *sillage.Network, demo bool) ([]User, error) {
	us := ServiceUsers(demo)
	taken := map[string]bool{}
	for _, u := range ServiceUsers(true) {
		taken[u.Name] = true
	}
	ids := make([]string, 0, len(n.Sites))
	seen := map[string]bool{}
	for i, s := range n.Sites {
		switch {
		case !iot.ValidSiteID(s.ID) || strings.ContainsAny(s.ID, ":\t\r\n"):
			return nil, fmt.Errorf("%w: sites[%d]: id %q cannot be an MQTT user name and topic level", sillage.ErrInvalid, i, s.ID)
		case taken[s.ID]:
			return nil, fmt.Errorf("%w: sites[%d]: id %q is the name of a service user", sillage.ErrInvalid, i, s.ID)
		case seen[s.ID]:
			return nil, fmt.Errorf("%w: sites[%d]: id %q listed twice", sillage.ErrInvalid, i, s.ID)
		}
		seen[s.ID] = true
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	for _, id := range ids {
		us = append(us, SiteUser(id))
	}
	return us, nil
}

// ACL returns the Mosquitto ACL file of users: one "user" block each, in
// the order given, with its "topic read" and "topic write" lines. No
// pattern lines: a user may do exactly what its block says.
func ACL(users []User, network string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Mosquitto ACL for sillage (topic layout v1), network %q.\n", network)
	b.WriteString("# Written by `sillage mqtt-users`: do not edit, run it again.\n")
	b.WriteString("# A site (user = site id) writes only its own epcis, stock and acks\n")
	b.WriteString("# topics and reads only its own commands.\n")
	for _, u := range users {
		fmt.Fprintf(&b, "\nuser %s\n", u.Name)
		for _, t := range u.Read {
			fmt.Fprintf(&b, "topic read %s\n", t)
		}
		for _, t := range u.Write {
			fmt.Fprintf(&b, "topic write %s\n", t)
		}
	}
	return b.String()
}
