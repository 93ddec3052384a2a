package store

import (
	"context"
	"fmt"
	"time"

	"github.com/sillage/sillage"
)

// AcquirePlanLease gives network's lease to planID until now+ttl when it is
// free, expired at now, or already held by planID (then it is extended).
// It returns the lease as it stands after the call and whether planID
// holds it; when it does not, the lease names the plan that does.
func (s *Store) AcquirePlanLease(ctx context.Context, network, planID string, now time.Time, ttl time.Duration) (sillage.PlanLease, bool, error) {
	what := fmt.Sprintf("acquire the plan lease of network %q for plan %q", network, planID)
	if network == "" || planID == "" {
		return sillage.PlanLease{}, false, fmt.Errorf("%s: %w: empty network or plan id", what, sillage.ErrInvalid)
	}
	if ttl <= 0 {
		return sillage.PlanLease{}, false, fmt.Errorf("%s: %w: lease time %v is not positive", what, sillage.ErrInvalid, ttl)
	}
	at, until := formatTime(now), formatTime(now.Add(ttl))
	// One statement, so two plans racing for a free lease cannot both win.
	_, err := s.write.ExecContext(ctx, s.write.Rebind(`INSERT INTO plan_leases (network, plan_id, acquired_at, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (network) DO UPDATE SET
			acquired_at = CASE WHEN plan_leases.plan_id = excluded.plan_id THEN plan_leases.acquired_at ELSE excluded.acquired_at END,
			plan_id = excluded.plan_id,
			expires_at = excluded.expires_at
		WHERE plan_leases.plan_id = excluded.plan_id OR plan_leases.expires_at <= ?`), network, planID, at, until, at)
	if err != nil {
		return sillage.PlanLease{}, false, fmt.Errorf("%s: %w", what, err)
	}
	l, err := s.PlanLease(ctx, network)
	if err != nil {
		return sillage.PlanLease{}, false, fmt.Errorf("%s: %w", what, err)
	}
	return l, l.PlanID == planID, nil
}

// ReleasePlanLease gives back network's lease if planID holds it and
// reports whether it did; releasing a lease planID does not hold (any
// more) changes nothing.
func (s *Store) ReleasePlanLease(ctx context.Context, network, planID string) (bool, error) {
	n, err := rowsAffected(s.write.ExecContext(ctx, s.write.Rebind(`DELETE FROM plan_leases WHERE network = ? AND plan_id = ?`), network, planID))
	if err != nil {
		return false, fmt.Errorf("release the plan lease of network %q held by plan %q: %w", network, planID, err)
	}
	return n == 1, nil
}

// PlanLease returns network's lease; the error wraps sillage.ErrNotFound
// when no plan holds it.
func (s *Store) PlanLease(ctx context.Context, network string) (sillage.PlanLease, error) {
	var r struct {
		Network  string `db:"network"`
		PlanID   string `db:"plan_id"`
		Acquired string `db:"acquired_at"`
		Expires  string `db:"expires_at"`
	}
	err := getOne(ctx, s.write, fmt.Sprintf("plan lease of network %q", network), &r,
		`SELECT network, plan_id, acquired_at, expires_at FROM plan_leases WHERE network = ?`, network)
	if err != nil {
		return sillage.PlanLease{}, err
	}
	l := sillage.PlanLease{Network: r.Network, PlanID: r.PlanID}
	if l.AcquiredAt, err = parseTime(r.Acquired); err == nil {
		l.ExpiresAt, err = parseTime(r.Expires)
	}
	if err != nil {
		return sillage.PlanLease{}, fmt.Errorf("plan lease of network %q: %w", network, err)
	}
	return l, nil
}
