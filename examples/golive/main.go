// Command golive is mepkit's main demonstration. It takes a small client
// project live the structured way, from scoping to operations, on a
// simulated clock: a team and its round table, phase gates, a validation
// checklist, two timed rehearsals, planning meetings and their actions, a
// deployment policy (Friday freeze, French holidays and their eves,
// evening windows, readiness one hour before, the operations GO), a go-live
// refused on a holiday's eve and rescheduled, a readiness checklist, a vote,
// the go/no-go, a cutover with a failed and retried step, a review with its
// lesson, and the operations-readiness checklist. A second team's
// cutover on the same database, in another project of the same store,
// moves the go-live's slot (the schedule across projects, mep/fleet).
//
// It prints what happened, then the go-live report in Markdown:
//
//	go run ./examples/golive                       # the embedded scenario
//	go run ./examples/golive -html report.html     # also write the HTML report
//	go run ./examples/golive -scenario my.yaml     # another scenario
//	go run ./examples/golive -store records        # keep the projects' records
//
// The go-live's record and those of the scenario's neighbours (other
// teams' projects, planned in the same store) are files of one
// directory; the go-live checks the schedule across them (package
// mep/fleet) before it picks its slot.
//
// The output is the same on every machine: the clock is simulated.
package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	_ "time/tzdata" // programs embed the zone database; the library does not
)

//go:embed scenario.yaml
var defaultScenario []byte

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program; it returns the exit code: 0 when the go-live went
// through every phase, 1 when the scenario could not be played, 2 on bad
// usage, a malformed scenario or an -html file that cannot be written (checked
// before the go-live is played).
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("golive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenarioFile := fs.String("scenario", "", "scenario file (YAML); default: the embedded scenario")
	htmlFile := fs.String("html", "", "also write the HTML report to this file")
	storeDir := fs.String("store", "", "keep the projects' records in this directory (created; must not hold them already); default: a temporary directory, removed")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "golive: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	// The HTML report is written next to its file and renamed into place
	// at the end: a directory that cannot take it fails now, before the
	// whole go-live is played, and a failed run leaves no half report.
	var html *os.File
	if *htmlFile != "" {
		if fi, err := os.Stat(*htmlFile); err == nil && fi.IsDir() {
			// The rename at the end would fail, after the whole go-live.
			fmt.Fprintf(stderr, "golive: -html %s: is a directory: name the file to write\n", *htmlFile)
			return 2
		}
		var err error
		if html, err = os.CreateTemp(filepath.Dir(*htmlFile), "."+filepath.Base(*htmlFile)+".*"); err != nil {
			fmt.Fprintf(stderr, "golive: -html %s: %v\n", *htmlFile, err)
			return 2
		}
		defer func() {
			html.Close()
			os.Remove(html.Name()) // gone already when renamed
		}()
	}
	data := defaultScenario
	if *scenarioFile != "" {
		var err error
		if data, err = os.ReadFile(*scenarioFile); err != nil {
			fmt.Fprintln(stderr, "golive:", err)
			return 2
		}
	}
	s, err := parseScenario(data)
	if err != nil {
		fmt.Fprintln(stderr, "golive:", err)
		return 2
	}
	store := *storeDir
	if store == "" {
		if store, err = os.MkdirTemp("", "golive-store-*"); err != nil {
			fmt.Fprintln(stderr, "golive:", err)
			return 1
		}
		defer os.RemoveAll(store)
		s.noSync = true // records that are removed at the end need no fsync
	} else if err := checkStore(store, s); err != nil {
		fmt.Fprintf(stderr, "golive: -store %s: %v\n", store, err)
		return 2
	}
	rep, err := play(s, stdout, store)
	if err != nil {
		fmt.Fprintln(stderr, "golive:", err)
		var bad *badScenario
		if errors.As(err, &bad) {
			return 2
		}
		return 1
	}
	fmt.Fprintln(stdout)
	if err := rep.WriteMarkdown(stdout); err != nil {
		fmt.Fprintln(stderr, "golive:", err)
		return 1
	}
	if html != nil {
		err := rep.WriteHTML(html)
		if cerr := html.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(html.Name(), 0o644)
		}
		if err == nil {
			err = os.Rename(html.Name(), *htmlFile)
		}
		if err != nil {
			fmt.Fprintln(stderr, "golive:", err)
			return 1
		}
	}
	return 0
}

// checkStore makes the directory store if needed and checks that it
// holds none of the scenario's projects already: a run writes new
// records, it never appends to earlier ones.
func checkStore(store string, s *scenario) error {
	if err := os.MkdirAll(store, 0o755); err != nil {
		return err
	}
	dirs := []string{storeDir}
	for _, nb := range s.Neighbours {
		dirs = append(dirs, nb.Dir)
	}
	for _, d := range dirs {
		if _, err := os.Lstat(filepath.Join(store, d)); err == nil {
			return fmt.Errorf("%s is there already: give an empty directory or a new one", d)
		}
	}
	return nil
}
