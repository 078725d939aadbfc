package browser

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindSaysWhatIsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Find(t.TempDir())
	if err == nil || err.Error() != "browser: no chromium on PATH (Debian: apt-get install chromium)" {
		t.Fatalf("Find without a browser: got %v", err)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chromium"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	_, err = Find(t.TempDir())
	if err == nil || err.Error() != "browser: no pdftotext on PATH (Debian: apt-get install poppler-utils)" {
		t.Fatalf("Find without pdftotext: got %v", err)
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		"Observation period · Marc":  "Observation period Marc",
		"Observation period\n  Marc": "Observation period Marc",
		" step-199 | <b>x</b> ":      "step-199 | <b>x</b>",
	} {
		if got := plain(in); got != want {
			t.Errorf("plain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeepWithoutDirectory(t *testing.T) {
	t.Setenv(ShotsEnv, "")
	Keep(t, "x.png", []byte("x")) // writes nothing, fails nothing
	dir := t.TempDir()
	t.Setenv(ShotsEnv, dir)
	Keep(t, "x.png", []byte("x"))
	if b, err := os.ReadFile(filepath.Join(dir, "x.png")); err != nil || string(b) != "x" {
		t.Fatalf("Keep: %q, %v", b, err)
	}
}

func TestStrandedHeadings(t *testing.T) {
	page := []byte(`<h2>Timeline <span class="rules">(R10)</span></h2><h3>Votes</h3><h2>Notes &amp; more</h2>`)
	text := "Go-live report\nTimeline (R10)\nStart\n\f...\nVotes\n\fNotes & more\nend"
	got := strandedHeadings(page, text)
	if len(got) != 1 || got[0] != (stranded{"Votes", 2}) {
		t.Fatalf("stranded headings: got %v, want Votes on page 2", got)
	}
	if got := strandedHeadings(page, "Timeline (R10)\nStart\n\fmore"); len(got) != 0 {
		t.Fatalf("a heading followed by its content: got %v", got)
	}
}
