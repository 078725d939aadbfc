package pgstore

// CatchUps returns how many times the followers of db read their record.
func CatchUps(db *DB) int64 { return db.catchUps.Load() }
