package pgstore

import (
	"fmt"
	"strings"
)

// appendEntriesV4 is append_entries of version 3, replaced (it keeps its
// grants), refusing with SQLSTATE MK422 what it took or failed on with
// another error before:
//   - no record, or a name longer than the entries table takes (a
//     not-null or check violation before);
//   - seqs past the largest bigint (an overflow, 22003, before);
//   - a time that PostgreSQL reads but an entry's line cannot hold
//     ("now", "infinity", a time without its UTC offset, which the
//     writer's own TimeZone setting would place): the line must give an
//     RFC 3339 time with its offset, as timeline writes it, so that the
//     at column is the line's time;
//   - a key given twice in a line, whose columns PostgreSQL would take
//     from the last one while the line holds another.
var appendEntriesV4 = mustReplace(appendEntriesV3,
	`	FOR i IN 1..n LOOP
		IF p_seqs[i] IS NULL OR p_seqs[i] < 1 OR p_seqs[i] <> first + i - 1 THEN`,
	`	IF p_record IS NULL OR p_record = '' OR octet_length(p_record) > 200 THEN
		RAISE EXCEPTION 'pgstore: append to record %: a record name has 1 to 200 bytes', coalesce(quote_literal(p_record), 'NULL')
			USING ERRCODE = 'MK422';
	END IF;
	FOR i IN 1..n LOOP
		IF p_seqs[i] IS NULL OR p_seqs[i] < 1 OR p_seqs[i]::numeric <> first::numeric + i - 1 THEN`,
	`			j := p_lines[i]::json;
`,
	`			j := p_lines[i]::json;
			IF (SELECT count(*) <> count(DISTINCT k) FROM json_object_keys(j) AS k) THEN
				RAISE EXCEPTION 'the line gives a key twice' USING ERRCODE = '22000';
			END IF;
`,
	`			ats[i] := (j->>'at')::timestamptz;`,
	`			IF (j->>'at') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$' THEN
				RAISE EXCEPTION 'the time "%" is not an RFC 3339 time with its UTC offset', j->>'at' USING ERRCODE = '22000';
			END IF;
			ats[i] := (j->>'at')::timestamptz;`,
)

// migrationV4 sets the search_path of the one function that took its
// caller's: the trigger that refuses changes to the entries, which runs as
// the role whose change it refuses. And it writes timeline_may_append in
// PL/pgSQL, the same query: an SQL function that is not inlined (as one
// with a SET clause never is) plans its query again in each transaction,
// which took about a third of an append's time on the server (0.24 of
// 0.69 ms), where PL/pgSQL keeps the plan for the session.
const migrationV4 = `
ALTER FUNCTION {schema}.timeline_refuse_change() SET search_path = pg_catalog, pg_temp;
CREATE OR REPLACE FUNCTION {schema}.timeline_may_append(p_record text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN NOT EXISTS (SELECT 1 FROM {schema}.timeline_record_writers w WHERE w.record = p_record)
		OR EXISTS (SELECT 1 FROM {schema}.timeline_record_writers w
			WHERE w.record = p_record AND w.writer IN (SELECT rolname FROM pg_roles)
			AND pg_has_role(session_user, w.writer, 'MEMBER'));
END $$;
`

// mustReplace returns s with each old string of pairs replaced by the new
// one after it; each old string must occur in s exactly once.
func mustReplace(s string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := strings.Count(s, pairs[i]); n != 1 {
			panic(fmt.Sprintf("pgstore: migration text: %q occurs %d times, want once", pairs[i], n))
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}
