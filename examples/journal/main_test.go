package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

var update = flag.Bool("update", false, "rewrite testdata/demo.golden")

// result is what one run of the program printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// session runs the program as an operator would, on a clock that the test
// moves, with $USER set to alice unless env says otherwise.
type session struct {
	t   *testing.T
	at  time.Time
	env map[string]string
}

func newSession(t *testing.T, at time.Time) *session {
	return &session{t: t, at: at, env: map[string]string{"USER": "alice"}}
}

// run advances the clock by after and runs the program with args.
func (s *session) run(after time.Duration, args ...string) result {
	s.t.Helper()
	s.at = s.at.Add(after)
	var stdout, stderr bytes.Buffer
	at := s.at
	code := run(args, &stdout, &stderr, func(k string) string { return s.env[k] }, func() time.Time { return at })
	return result{code, stdout.String(), stderr.String()}
}

// ok runs args and requires success.
func (s *session) ok(after time.Duration, args ...string) string {
	s.t.Helper()
	r := s.run(after, args...)
	require.Equal(s.t, exitOK, r.code, "journal %s: stderr %q", strings.Join(args, " "), r.stderr)
	assert.Empty(s.t, r.stderr)
	return r.stdout
}

func utc(y, mo, d, h, mi int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC)
}

// rehearse writes a rehearsal journal at path: backup 10m, migrate 20m
// (outage), smoke-tests 5m.
func rehearse(t *testing.T, path string) {
	t.Helper()
	s := newSession(t, utc(2026, 11, 17, 19, 0))
	s.env["USER"] = "bob"
	s.ok(0, "start", "-f", path, "backup")
	s.ok(10*time.Minute, "end", "-f", path, "backup")
	s.ok(0, "start", "-f", path, "migrate", "-impact", "outage")
	s.ok(20*time.Minute, "end", "-f", path, "migrate")
	s.ok(0, "start", "-f", path, "smoke-tests")
	s.ok(5*time.Minute, "end", "-f", path, "smoke-tests")
}

func TestCutover(t *testing.T) {
	dir := t.TempDir()
	base, path := filepath.Join(dir, "rehearsal.jsonl"), filepath.Join(dir, "cutover.jsonl")
	rehearse(t, base)

	s := newSession(t, utc(2026, 11, 24, 19, 0))
	out := s.ok(0, "start", "-f", path, "backup")
	assert.Regexp(t, `^#1 2026-11-24 19:00:00 UTC start backup impact=none actor=alice hash=[0-9a-f]{12}\n$`, out)
	out = s.ok(12*time.Minute, "end", "-f", path, "backup")
	assert.Regexp(t, `^#2 2026-11-24 19:12:00 UTC end backup outcome=done took=12m actor=alice hash=[0-9a-f]{12}\n$`, out)
	out = s.ok(0, "start", "-f", path, "-actor", "bob", "migrate", "-impact", "outage")
	assert.Contains(t, out, "start migrate impact=outage actor=bob")
	out = s.ok(5*time.Minute, "note", "-f", path, "-actor", "bob", "--", "-5%", "disk", "left")
	assert.Contains(t, out, `#4 2026-11-24 19:17:00 UTC note actor=bob text="-5% disk left"`)
	out = s.ok(25*time.Minute, "end", "-f", path, "migrate", "-outcome", "done")
	assert.Contains(t, out, "took=30m")
	s.ok(0, "start", "-f", path, "warm-caches", "-impact", "disruption")
	out = s.ok(3*time.Minute, "end", "-f", path, "warm-caches", "-outcome", "skipped")
	assert.Contains(t, out, "#7 2026-11-24 19:45:00 UTC end warm-caches outcome=skipped took=3m")

	t.Run("summary", func(t *testing.T) {
		out := s.ok(0, "summary", "-f", path, "-tz", "Europe/Paris")
		assert.Contains(t, out, "| 2 | migrate | 1 | 2026-11-24 20:12:00 CET | 2026-11-24 20:42:00 CET | 30m | outage | done |")
		assert.Contains(t, out, "- Outage (users cut off): 30m\n")
		assert.Contains(t, out, "- Disruption (users degraded): 3m\n")
		assert.Contains(t, out, "- Entries: 7\n")

		out = s.ok(0, "summary", "-f", path, "-tz", "UTC")
		assert.Contains(t, out, "- Start: 2026-11-24 19:00:00 UTC\n")
	})

	t.Run("export md", func(t *testing.T) {
		out := s.ok(0, "export", "-f", path, "-format", "md", "-title", "Cutover of 24 November", "-tz", "UTC")
		assert.True(t, strings.HasPrefix(out, "# Cutover of 24 November\n\n| # | Step |"), out)
		assert.Contains(t, out, "| 1 | backup | 1 | 2026-11-24 19:00:00 UTC |")
	})

	t.Run("export csv", func(t *testing.T) {
		out := s.ok(0, "export", "-f", path, "-format", "csv")
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		require.Len(t, lines, 8, "a header and one row per entry")
		assert.Equal(t, "seq,at,kind,step,actor,text,impact,outcome,attrs,hash", lines[0])
		assert.Contains(t, lines[4], `4,2026-11-24T19:17:00Z,note,,bob,'-5% disk left,,,,`)
	})

	t.Run("export mermaid", func(t *testing.T) {
		out := s.ok(0, "export", "-f", path, "-format", "mermaid", "-title", "Cutover", "-baseline", base)
		assert.True(t, strings.HasPrefix(out, "gantt\n    title Cutover\n"), out)
		assert.Contains(t, out, "    migrate (rehearsal) :2026-11-24 19:10:00, 2026-11-24 19:30:00\n")
		assert.Contains(t, out, "    migrate :2026-11-24 19:12:00, 2026-11-24 19:42:00\n")

		out = s.ok(0, "export", "-f", path, "-format", "mermaid")
		assert.NotContains(t, out, "rehearsal")
	})

	t.Run("export jsonl", func(t *testing.T) {
		out := s.ok(0, "export", "-f", path, "-format", "jsonl")
		file, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, string(file), out, "the export is the journal itself")
		entries, err := timeline.Read(strings.NewReader(out))
		require.NoError(t, err)
		assert.NoError(t, timeline.Verify(entries, nil))
	})

	t.Run("verify", func(t *testing.T) {
		entries, err := timeline.ReadFile(path)
		require.NoError(t, err)
		out := s.ok(0, "verify", "-f", path)
		assert.Equal(t, "ok: 7 entries, head "+entries[6].Hash+"\n", out)
	})

	t.Run("compare", func(t *testing.T) {
		out := s.ok(0, "compare", "-f", path, "-baseline", base)
		assert.Contains(t, out, "| backup | 10m | 12m | +2m (+20%) |\n")
		assert.Contains(t, out, "| migrate | 20m | 30m | +10m (+50%) |\n")
		assert.Contains(t, out, "| **Total** | 35m | 45m | +10m (+29%) |\n")
		assert.Contains(t, out, "| **Outage** | 20m | 30m | +10m (+50%) |\n")
		assert.Contains(t, out, "| **Disruption** | 0s | 3m | +3m |\n", "no percentage of zero")
		assert.Contains(t, out, "Missing (rehearsed, not run):\n- smoke-tests (5m in the rehearsal)\n")
		assert.Contains(t, out, "Added (run, never rehearsed):\n- warm-caches (3m)\n")
	})
}

func TestDefaultFileAndActor(t *testing.T) {
	t.Chdir(t.TempDir())
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	assert.Contains(t, s.ok(0, "note", "hello"), "actor=alice")
	_, err := os.Stat("cutover.jsonl")
	assert.NoError(t, err, "the default journal file")
}

// The journal records who did what: without $USER it asks for -actor
// rather than signing "unknown" (this changed: it used to guess).
func TestNoActor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	delete(s.env, "USER")
	for _, args := range [][]string{{"note", "hello"}, {"start", "x"}, {"end", "x"}, {"start", "x", "-actor", " "}} {
		r := s.run(0, append(args, "-f", path)...)
		assert.Equal(t, exitUsage, r.code, args)
		assert.Contains(t, r.stderr, "$USER is not set: give -actor NAME", args)
	}
	_, err := os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing was recorded")
	assert.Contains(t, s.ok(0, "note", "-f", path, "-actor", "bob", "hello"), "actor=bob")
}

// People type the flags before the command.
func TestFlagsBeforeCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	assert.Contains(t, s.ok(0, "-f", path, "start", "migrate", "-impact", "outage"), "start migrate impact=outage")
	assert.Contains(t, s.ok(time.Minute, "-f="+path, "-actor", "bob", "end", "migrate"), "end migrate outcome=done took=1m actor=bob")
	assert.Contains(t, s.ok(0, "--f", path, "verify"), "ok: 2 entries")
	assert.Contains(t, s.ok(0, "-f", path, "summary", "-tz", "Europe/Paris"), "migrate")

	r := s.run(0, "-f", path)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "no command after the flags")
	r = s.run(0, "-f", path, "-h")
	assert.Equal(t, exitOK, r.code, "help")
	assert.Contains(t, r.stdout, "usage: journal")
	r = s.run(0, "-colour", "x", "verify")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "flag provided but not defined: -colour")
}

// Errors name the package once: the command's own prefix says where.
func TestNoDoubledPrefix(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte("{\"seq\":1}\n"), 0o600))
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	for _, args := range [][]string{{"start", "-f", bad, "x"}, {"verify", "-f", bad}, {"summary", "-f", bad}} {
		r := s.run(0, args...)
		assert.Equal(t, exitFailed, r.code, args)
		assert.NotContains(t, r.stderr, "timeline:", args)
		assert.Contains(t, r.stderr, "line 1", args)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "start", "-f", path, "running-step")

	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string // in the one line on stderr
	}{
		{"unknown command", []string{"rollback"}, exitUsage, `unknown command "rollback"`},
		{"unknown flag", []string{"start", "-f", path, "-colour", "x"}, exitUsage, "flag provided but not defined: -colour"},
		{"bad impact", []string{"start", "-f", path, "x", "-impact", "total"}, exitUsage, `-impact: unknown impact "total"`},
		{"bad outcome", []string{"end", "-f", path, "x", "-outcome", "meh"}, exitUsage, `-outcome: unknown outcome "meh"`},
		{"no step", []string{"start", "-f", path}, exitUsage, "no step given"},
		{"two steps", []string{"start", "-f", path, "a", "b"}, exitUsage, "one step at a time"},
		{"empty note", []string{"note", "-f", path}, exitUsage, "no text to note"},
		{"unknown zone", []string{"summary", "-f", path, "-tz", "Mars/Olympus"}, exitUsage, `unknown time zone "Mars/Olympus"`},
		{"no format", []string{"export", "-f", path}, exitUsage, "-format is required"},
		{"bad format", []string{"export", "-f", path, "-format", "pdf"}, exitUsage, `-format "pdf"`},
		{"baseline with csv", []string{"export", "-f", path, "-format", "csv", "-baseline", path}, exitUsage, "-baseline applies to -format mermaid only"},
		{"compare without baseline", []string{"compare", "-f", path}, exitUsage, "-baseline is required"},
		{"key variable unset", []string{"verify", "-f", path, "-key-env", "NO_SUCH_KEY"}, exitUsage, "NO_SUCH_KEY is not set"},
		{"stray argument", []string{"verify", "-f", path, "now"}, exitUsage, `unexpected argument "now"`},
		{"checkpoint without a key", []string{"checkpoint", "-f", path}, exitUsage, "-key is required"},
		{"checkpoint without its public key", []string{"verify", "-f", path, "-checkpoint", path}, exitUsage, "-checkpoint and -pub go together"},
		{"checkpoint with a journal as key", []string{"checkpoint", "-f", path, "-key", path}, exitUsage, `want a PEM "PRIVATE KEY" block`},
		{"end without start", []string{"end", "-f", path, "deploy"}, exitFailed, `step "deploy"): step not started (running: running-step)`},
		{"end on no journal", []string{"end", "-f", filepath.Join(dir, "typo.jsonl"), "deploy"}, exitFailed, "nothing was started"},
		{"start twice", []string{"start", "-f", path, "running-step"}, exitFailed, "step already running"},
		// A journal that is not there is bad input (this changed: it was
		// status 1, the code of a tampered journal).
		{"missing file", []string{"summary", "-f", filepath.Join(dir, "nope.jsonl")}, exitUsage, "no journal at " + filepath.Join(dir, "nope.jsonl")},
		{"verify missing file", []string{"verify", "-f", filepath.Join(dir, "nope.jsonl")}, exitUsage, "no journal at "},
		{"missing baseline", []string{"compare", "-f", path, "-baseline", filepath.Join(dir, "nope.jsonl")}, exitUsage, "no journal at "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.run(0, tc.args...)
			assert.Equal(t, tc.code, r.code)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tc.msg)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, "journal"), r.stderr)
		})
	}

	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "refused commands record nothing")
	assert.NoFileExists(t, filepath.Join(dir, "typo.jsonl"))
}

func TestTamper(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "note", "-f", path, "GO given by operations")
	s.ok(time.Minute, "start", "-f", path, "migrate", "-impact", "outage")
	s.ok(20*time.Minute, "end", "-f", path, "migrate")

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	edited := bytes.Replace(data, []byte(`"impact":"outage"`), []byte(`"impact":"disruption"`), 1)
	require.NotEqual(t, data, edited)
	require.NoError(t, os.WriteFile(path, edited, 0o600))

	r := s.run(0, "verify", "-f", path)
	assert.Equal(t, exitFailed, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "tampered with at seq 2")

	r = s.run(0, "note", "-f", path, "more")
	assert.Equal(t, exitFailed, r.code, "a tampered journal is not extended")
	assert.Contains(t, r.stderr, "seq 2")
}

func TestKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.env["MEP_KEY"] = "s3cret"
	s.env["OTHER_KEY"] = "guess"
	s.ok(0, "note", "-f", path, "-key-env", "MEP_KEY", "GO")
	s.ok(0, "start", "-f", path, "-key-env", "MEP_KEY", "migrate")
	assert.Contains(t, s.ok(0, "verify", "-f", path, "-key-env", "MEP_KEY"), "ok: 2 entries")

	// A missing or wrong key is told apart from tampering.
	r := s.run(0, "verify", "-f", path)
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "wrong key")
	assert.NotContains(t, r.stderr, "tampered")
	assert.Contains(t, r.stderr, "-key-env", "the likely cause is named")

	r = s.run(0, "verify", "-f", path, "-key-env", "OTHER_KEY")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "wrong key")
	assert.Contains(t, r.stderr, timeline.KeyID([]byte("s3cret")), "the key the journal needs is identified")
	assert.NotContains(t, r.stderr, "tampered")

	r = s.run(0, "end", "-f", path, "migrate")
	assert.Equal(t, exitFailed, r.code, "no key, no writing")
}

func TestTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "start", "-f", path, "migrate")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"seq":2,"at":"2026-11-24T19:`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	r := s.run(0, "verify", "-f", path)
	assert.Equal(t, exitFailed, r.code, "a torn file is not what was recorded")
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "torn last line")

	r = s.run(0, "summary", "-f", path)
	assert.Equal(t, exitOK, r.code, "reading commands leave the torn line out")
	assert.Contains(t, r.stderr, "ignoring an incomplete last line")

	r = s.run(time.Minute, "end", "-f", path, "migrate")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "#2 ")
	assert.Contains(t, r.stderr, "truncated an incomplete last line (line 2, 29 bytes)")
	assert.Contains(t, s.ok(0, "verify", "-f", path), "ok: 2 entries")
}

func TestHelp(t *testing.T) {
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out := s.ok(0, args...)
		assert.Contains(t, out, "With no arguments, and for a command's -h")
	}
	r := s.run(0, "start", "-h")
	assert.Equal(t, exitUsage, r.code, "start -h started nothing")
	assert.Contains(t, r.stdout, "usage: journal start STEP")
	assert.Contains(t, r.stdout, "-impact")

	r = s.run(0)
	assert.Equal(t, exitUsage, r.code, "no command: nothing done")
	assert.Contains(t, r.stderr, "usage:")
}

func TestDemo(t *testing.T) {
	s := newSession(t, utc(2030, 1, 1, 0, 0)) // the demo needs neither
	out := s.ok(0, "demo")
	assert.Equal(t, out, s.ok(0, "demo"), "the demo is deterministic")
	if *update {
		require.NoError(t, os.WriteFile("testdata/demo.golden", []byte(out), 0o644))
	}
	want, err := os.ReadFile("testdata/demo.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
	assert.Contains(t, out, "$ journal compare -baseline rehearsal.jsonl\n")
	assert.Contains(t, out, "ok: 18 entries, head ")
}

// run leaves the caller's arguments as they were, so a script (or a test)
// can run the same command twice.
func TestRunKeepsArgs(t *testing.T) {
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	args := []string{"note", "-f", filepath.Join(t.TempDir(), "cutover.jsonl"), "hello"}
	want := slices.Clone(args)
	s.ok(0, args...)
	assert.Equal(t, want, args)
	assert.Contains(t, s.ok(0, args...), "#2 ")
}

// TestNotAFile: a journal, a checkpoint or a key that is a named pipe is
// refused at once, naming it; the command used to block on its first read
// forever.
func TestNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	good := filepath.Join(dir, "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "note", "-f", good, "hello")
	s.ok(0, "keygen", "-key", filepath.Join(dir, "k"), "-pub", filepath.Join(dir, "k.pub"))
	for _, args := range [][]string{
		{"note", "-f", fifo, "hello"},
		{"start", "-f", fifo, "backup"},
		{"verify", "-f", fifo},
		{"summary", "-f", fifo},
		{"compare", "-f", good, "-baseline", fifo},
		{"checkpoint", "-f", good, "-key", fifo},
		{"verify", "-f", good, "-checkpoint", fifo, "-pub", filepath.Join(dir, "k.pub")},
		{"verify", "-f", good, "-checkpoint", good, "-pub", fifo},
	} {
		done := make(chan result, 1)
		go func() { done <- s.run(0, args...) }()
		select {
		case r := <-done:
			assert.NotEqual(t, exitOK, r.code, "%q", args)
			assert.Contains(t, r.stderr, fifo+" is a named pipe, not a file", "%q", args)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%q: one line: %q", args, r.stderr)
		case <-time.After(5 * time.Second):
			t.Fatalf("journal %q: still blocked after 5s", args)
		}
	}
}

// TestTwoWritersAtOnce: a command that finds the journal file held by
// another (which holds it for its append) waits for it and records its
// entry; it used to fail at once with "journal file in use".
func TestTwoWritersAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	held, err := timeline.Open(path, nil)
	require.NoError(t, err)
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	done := make(chan result, 1)
	go func() { done <- s.run(0, "note", "-f", path, "second") }()
	time.Sleep(100 * time.Millisecond)
	_, err = held.Note("bob", "first")
	require.NoError(t, err)
	require.NoError(t, held.Close())
	r := <-done
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "#2 ")
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, entries, 2)
}

// TestControlCharacters: a step or an actor with a line break is bad
// input and appends nothing; it used to be recorded and printed as two
// lines, the second of which read as an entry of its own.
func TestControlCharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "start", "-f", path, "backup")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"start", "migrate\n#9 2026-11-24 19:05:00 UTC end backup outcome=done"}, `step "migrate\n#9`},
		{[]string{"end", "backup\t"}, `step "backup\t": a control character`},
		{[]string{"note", "-actor", "bob\n#9 forged", "hello"}, `-actor "bob\n#9 forged": a control character`},
	} {
		r := s.run(0, append(tt.args, "-f", path)...)
		assert.Equal(t, exitUsage, r.code, "%q", tt.args)
		assert.Contains(t, r.stderr, tt.want, "%q", tt.args)
		assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%q: one line: %q", tt.args, r.stderr)
	}
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing was appended")
}
