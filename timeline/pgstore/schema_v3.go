package pgstore

import "strings"

// migrationV3 gives records an end and an owner. drop_record, for an
// admin, removes a whole record once it was exported and verified: it
// takes the head the export ended at, and drops nothing if the record
// moved on since; timeline_archived keeps who dropped what, when and why.
// timeline_record_writers lists, for the records that a team wants kept to
// itself, the roles whose members may append to them; append_entries
// checks it (see the package doc, # Write access per record).
const migrationV3 = `
CREATE TABLE {schema}.timeline_archived (
	archived_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	archived_by text NOT NULL DEFAULT session_user,
	reason text NOT NULL CHECK (reason <> ''),
	record text NOT NULL,
	entries bigint NOT NULL,
	head_hash text NOT NULL
);
COMMENT ON TABLE {schema}.timeline_archived IS
	'mepkit timeline records dropped by drop_record after their export: who, when, why, and the head the export ended at.';

CREATE TABLE {schema}.timeline_record_writers (
	record text NOT NULL CHECK (record <> '' AND octet_length(record) <= 200),
	writer name NOT NULL,
	granted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	granted_by text NOT NULL DEFAULT session_user,
	PRIMARY KEY (record, writer)
);
COMMENT ON TABLE {schema}.timeline_record_writers IS
	'mepkit: the roles whose members may append to a record. A record without rows here is open to every role that may execute append_entries.';

CREATE FUNCTION {schema}.timeline_may_append(p_record text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT NOT EXISTS (SELECT 1 FROM {schema}.timeline_record_writers w WHERE w.record = p_record)
		OR EXISTS (SELECT 1 FROM {schema}.timeline_record_writers w
			WHERE w.record = p_record AND w.writer IN (SELECT rolname FROM pg_roles)
			AND pg_has_role(session_user, w.writer, 'MEMBER'))
$$;

CREATE OR REPLACE FUNCTION {schema}.timeline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND current_setting('mepkit.repair', true) = {schemalit} || '/' || OLD.record THEN
		RETURN OLD; -- truncate_record or drop_record, audited
	END IF;
	RAISE EXCEPTION 'pgstore: % on %.% refused: timeline entries are append-only',
		TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE FUNCTION {schema}.drop_record(p_record text, p_seq bigint, p_hash text, p_reason text)
RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	head bigint;
	head_hash text;
	removed bigint;
BEGIN
	IF coalesce(p_reason, '') = '' OR p_seq IS NULL OR p_seq < 1 OR coalesce(p_hash, '') = '' THEN
		RAISE EXCEPTION 'pgstore: drop_record needs a record, the seq and hash its export ended at, and a reason'
			USING ERRCODE = 'MK422';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('mepkit/pgstore/append/' || {schemalit} || '/' || p_record, 0));
	SELECT e.seq, e.hash INTO head, head_hash FROM {schema}.timeline_entries e
		WHERE e.record = p_record ORDER BY e.seq DESC LIMIT 1;
	IF head IS DISTINCT FROM p_seq OR head_hash IS DISTINCT FROM p_hash THEN
		RAISE EXCEPTION 'pgstore: record % ends at seq % with hash %, not at the seq % and hash % of its export: export it again',
			p_record, coalesce(head, 0), coalesce(head_hash, 'none'), p_seq, p_hash
			USING ERRCODE = 'MK409', DETAIL = coalesce(head, 0)::text;
	END IF;
	INSERT INTO {schema}.timeline_archived (reason, record, entries, head_hash) VALUES (p_reason, p_record, head, head_hash);
	PERFORM set_config('mepkit.repair', {schemalit} || '/' || p_record, true);
	DELETE FROM {schema}.timeline_entries e WHERE e.record = p_record;
	GET DIAGNOSTICS removed = ROW_COUNT;
	PERFORM set_config('mepkit.repair', '', true);
	DELETE FROM {schema}.timeline_record_writers w WHERE w.record = p_record;
	RETURN removed;
END $$;
COMMENT ON FUNCTION {schema}.drop_record(text, bigint, text, text) IS
	'mepkit: for an admin (the owner of the schema): drops a whole record that was exported and verified up to seq p_seq with hash p_hash, noting it in timeline_archived; refuses (SQLSTATE MK409) a record that does not end there.';
REVOKE ALL ON FUNCTION {schema}.drop_record(text, bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION {schema}.timeline_may_append(text) FROM PUBLIC;
`

// appendEntriesV3 is append_entries of version 2, replaced (it keeps its
// grants) with a first check: the login role may append to the record
// (timeline_may_append), else SQLSTATE MK403.
var appendEntriesV3 = strings.NewReplacer(
	"CREATE FUNCTION {schema}.append_entries(", "CREATE OR REPLACE FUNCTION {schema}.append_entries(",
	"\tPERFORM pg_advisory_xact_lock(", `	IF NOT {schema}.timeline_may_append(p_record) THEN
		RAISE EXCEPTION 'pgstore: role % may not append to record %: it is a member of none of the roles that timeline_record_writers lists for it', session_user, p_record
			USING ERRCODE = 'MK403';
	END IF;
	PERFORM pg_advisory_xact_lock(`,
).Replace(appendEntriesV2)
