package store

import "database/sql"

// rowsAffected returns the number of rows an Exec changed, taking the
// Exec's result and error as they come: rowsAffected(tx.ExecContext(...)).
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
