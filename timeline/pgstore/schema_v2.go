package pgstore

// migrationV2 makes every append go through one function, append_entries,
// that the owner of the schema owns (SECURITY DEFINER): it serializes the
// appends to a record, checks what the database can check of the chain and
// stamps stored_at. Writers lose INSERT on the entries and get EXECUTE on
// the function instead; an admin gets truncate_record, which removes a bad
// tail into timeline_removed. See the package doc, # Privileges.
const migrationV2 = `
ALTER TABLE {schema}.timeline_entries ALTER COLUMN stored_at SET DEFAULT clock_timestamp();

CREATE TABLE {schema}.timeline_removed (
	removed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	removed_by text NOT NULL DEFAULT session_user,
	reason text NOT NULL CHECK (reason <> ''),
	record text NOT NULL,
	seq bigint NOT NULL,
	hash text NOT NULL,
	line text NOT NULL,
	stored_at timestamptz NOT NULL
);
COMMENT ON TABLE {schema}.timeline_removed IS
	'mepkit timeline entries removed by truncate_record: who, when, why, and the rows as they were.';

CREATE OR REPLACE FUNCTION {schema}.timeline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND current_setting('mepkit.repair', true) = {schemalit} || '/' || OLD.record THEN
		RETURN OLD; -- truncate_record, audited in timeline_removed
	END IF;
	RAISE EXCEPTION 'pgstore: % on %.% refused: timeline entries are append-only',
		TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END $$;

` + appendEntriesV2 + `
CREATE FUNCTION {schema}.truncate_record(p_record text, p_after bigint, p_reason text)
RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	removed integer;
BEGIN
	IF coalesce(p_reason, '') = '' OR p_after IS NULL OR p_after < 0 THEN
		RAISE EXCEPTION 'pgstore: truncate_record needs a record, the last seq to keep (0: none) and a reason'
			USING ERRCODE = 'MK422';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('mepkit/pgstore/append/' || {schemalit} || '/' || p_record, 0));
	INSERT INTO {schema}.timeline_removed (reason, record, seq, hash, line, stored_at)
	SELECT p_reason, e.record, e.seq, e.hash, e.line, e.stored_at FROM {schema}.timeline_entries e
	WHERE e.record = p_record AND e.seq > p_after ORDER BY e.seq;
	PERFORM set_config('mepkit.repair', {schemalit} || '/' || p_record, true);
	DELETE FROM {schema}.timeline_entries e WHERE e.record = p_record AND e.seq > p_after;
	GET DIAGNOSTICS removed = ROW_COUNT;
	PERFORM set_config('mepkit.repair', '', true);
	RETURN removed;
END $$;
COMMENT ON FUNCTION {schema}.truncate_record(text, bigint, text) IS
	'mepkit: for an admin (the owner of the schema): removes the entries of a record after seq p_after (0: the whole record), keeping them with who, when and why in timeline_removed.';

REVOKE ALL ON FUNCTION {schema}.append_entries(text, bigint[], text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION {schema}.truncate_record(text, bigint, text) FROM PUBLIC;

-- The writers of version 1 held INSERT on the entries: they become
-- writers through the function.
DO $$
DECLARE
	g record;
BEGIN
	FOR g IN SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
		WHERE c.oid = '{schema}.timeline_entries'::regclass AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner
	LOOP
		IF g.grantee = 0 THEN
			EXECUTE 'REVOKE INSERT ON {schema}.timeline_entries FROM PUBLIC';
			EXECUTE 'GRANT EXECUTE ON FUNCTION {schema}.append_entries(text, bigint[], text[], text[]) TO PUBLIC';
		ELSE
			EXECUTE format('REVOKE INSERT ON {schema}.timeline_entries FROM %s', g.grantee::regrole::text);
			EXECUTE format('GRANT EXECUTE ON FUNCTION {schema}.append_entries(text, bigint[], text[], text[]) TO %s', g.grantee::regrole::text);
		END IF;
	END LOOP;
END $$;`

// appendEntriesV2 is the function append_entries of version 2; version 3
// replaces it with the check of the record's writers added.
const appendEntriesV2 = `CREATE FUNCTION {schema}.append_entries(p_record text, p_seqs bigint[], p_hashes text[], p_lines text[])
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n integer := coalesce(cardinality(p_seqs), 0);
	first bigint := p_seqs[1];
	head bigint;
	head_hash text;
	skip integer := 0;
	prev_key text;
	at_seq bigint;
	j json;
	hash text;
	ats timestamptz[];
	kinds text[];
	steps text[];
	actors text[];
	r record;
BEGIN
	IF n = 0 OR coalesce(cardinality(p_hashes), 0) <> n OR coalesce(cardinality(p_lines), 0) <> n THEN
		RAISE EXCEPTION 'pgstore: append to record %: seqs, hashes and lines must be as many, and at least one', p_record
			USING ERRCODE = 'MK422';
	END IF;
	FOR i IN 1..n LOOP
		IF p_seqs[i] IS NULL OR p_seqs[i] < 1 OR p_seqs[i] <> first + i - 1 THEN
			RAISE EXCEPTION 'pgstore: append to record %: seqs must run 1, 2, 3, ... without gaps (entry % of the batch has seq %)', p_record, i, p_seqs[i]
				USING ERRCODE = 'MK422';
		END IF;
	END LOOP;
	PERFORM pg_advisory_xact_lock(hashtextextended('mepkit/pgstore/append/' || {schemalit} || '/' || p_record, 0));
	SELECT e.seq, e.hash INTO head, head_hash FROM {schema}.timeline_entries e
		WHERE e.record = p_record ORDER BY e.seq DESC LIMIT 1;
	head := coalesce(head, 0);
	IF first > head + 1 THEN
		RAISE EXCEPTION 'pgstore: record % ends at seq %; a batch starting at seq % would leave a gap', p_record, head, first
			USING ERRCODE = 'MK422', DETAIL = head::text;
	END IF;
	IF first <= head THEN
		-- A retry of entries stored already (same seqs, same hashes) stores
		-- them not again; another entry at one of the seqs is a conflict.
		FOR r IN SELECT e.seq, e.hash FROM {schema}.timeline_entries e
			WHERE e.record = p_record AND e.seq >= first AND e.seq < first + n ORDER BY e.seq
		LOOP
			IF r.hash IS DISTINCT FROM p_hashes[r.seq - first + 1] THEN
				RAISE EXCEPTION 'pgstore: record % moved on: another writer stored seq % first', p_record, r.seq
					USING ERRCODE = 'MK409', DETAIL = head::text;
			END IF;
			skip := skip + 1;
		END LOOP;
		IF skip = n THEN
			RETURN 0;
		END IF;
		head_hash := p_hashes[skip];
	END IF;
	prev_key := CASE WHEN head_hash IS NULL THEN NULL ELSE coalesce(substring(head_hash FROM '^([0-9a-f]{8})\.'), '') END;
	BEGIN
		FOR i IN skip + 1..n LOOP
			at_seq := p_seqs[i];
			hash := p_hashes[i];
			IF hash IS NULL OR hash !~ '^([0-9a-f]{8}\.)?[0-9a-f]{64}$' THEN
				RAISE EXCEPTION 'hash % is not a chain hash (64 hex digits, after "<key id>." when keyed)', hash USING ERRCODE = '22000';
			END IF;
			IF prev_key IS NOT NULL AND coalesce(substring(hash FROM '^([0-9a-f]{8})\.'), '') <> prev_key THEN
				RAISE EXCEPTION 'hash % is not of the key of the previous entry (key id "%")', hash, prev_key USING ERRCODE = '22000';
			END IF;
			prev_key := coalesce(substring(hash FROM '^([0-9a-f]{8})\.'), '');
			IF p_lines[i] IS NULL OR octet_length(p_lines[i]) > 1048576 OR p_lines[i] !~ '^\{"seq":' OR strpos(p_lines[i], E'\n') > 0 THEN
				RAISE EXCEPTION 'the line is not one JSON line of an entry' USING ERRCODE = '22000';
			END IF;
			j := p_lines[i]::json;
			IF (j->'seq')::text IS DISTINCT FROM p_seqs[i]::text OR (j->>'hash') IS DISTINCT FROM hash THEN
				RAISE EXCEPTION 'the line holds seq % and hash %, the columns seq % and hash %', j->'seq', j->>'hash', p_seqs[i], hash
					USING ERRCODE = '22000';
			END IF;
			IF coalesce(j->>'kind', '') = '' OR j->>'at' IS NULL THEN
				RAISE EXCEPTION 'the line has no kind or no time' USING ERRCODE = '22000';
			END IF;
			ats[i] := (j->>'at')::timestamptz;
			kinds[i] := j->>'kind';
			steps[i] := coalesce(j->>'step', '');
			actors[i] := coalesce(j->>'actor', '');
		END LOOP;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'pgstore: append to record % refused at seq %: %', p_record, at_seq, SQLERRM
			USING ERRCODE = 'MK422';
	END;
	INSERT INTO {schema}.timeline_entries (record, seq, at, kind, step, actor, hash, line, stored_at)
	SELECT p_record, first + k - 1, ats[k], kinds[k], steps[k], actors[k], p_hashes[k], p_lines[k], clock_timestamp()
	FROM generate_series(skip + 1, n) AS k;
	RETURN n - skip;
END $$;
COMMENT ON FUNCTION {schema}.append_entries(text, bigint[], text[], text[]) IS
	'mepkit: the one way to append entries to a record. Serializes the appends to the record; refuses (SQLSTATE MK422) a batch that does not follow the record (gaps), a line that is not the JSON of an entry or disagrees with its seq and hash, a malformed hash or one of another key; returns SQLSTATE MK409 when another writer stored one of the seqs first; stores nothing again for a retry of stored entries (same hashes). Returns how many entries it stored.';`
