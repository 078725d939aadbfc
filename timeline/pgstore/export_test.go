package pgstore

// CatchUps returns how many times the followers of db read their record.
func CatchUps(db *DB) int64 { return db.catchUps.Load() }

// YearOfEntries returns 100,000 entries of a journal with opts.
var YearOfEntries = yearOfEntries
