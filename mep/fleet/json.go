package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

func secs(d time.Duration) float64 { return d.Seconds() }

// MarshalJSON encodes e with its durations in seconds: estimate_s,
// outage_s, duration_s and time_to_restore_s.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	return json.Marshal(struct {
		plain
		Estimate      float64 `json:"estimate_s"`
		Outage        float64 `json:"outage_s"`
		Duration      float64 `json:"duration_s"`
		TimeToRestore float64 `json:"time_to_restore_s"`
	}{plain(e), secs(e.Estimate), secs(e.Outage), secs(e.Duration), secs(e.TimeToRestore)})
}

// MarshalJSON encodes r with its month as "2026-03" and the recovery
// time in seconds (recovery_s).
func (r Row) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name  string `json:"name,omitempty"`
		Month string `json:"month"`
		Figures
		Recovery float64 `json:"recovery_s"`
	}{r.Name, r.Month.Format("2006-01"), r.Figures, secs(r.Recovery)})
}

// WriteJSON writes m as one JSON object: "location", then "by_service",
// "by_team" and "total", rows of figures by month.
func (m *Metrics) WriteJSON(w io.Writer) error {
	type plain Metrics
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Location string `json:"location"`
		*plain
	}{m.loc().String(), (*plain)(m)})
}

func (m *Metrics) loc() *time.Location {
	if m.Location == nil {
		return time.UTC
	}
	return m.Location
}

// WriteMarkdown writes m as Markdown: one table per grouping (by
// service, by team, in total), a row per name and month.
func (m *Metrics) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Delivery metrics\n\nMonths in %s. Definitions: docs/method.md, \"Delivery metrics across a store\".\n", m.loc())
	for _, g := range []struct {
		title, col string
		rows       []Row
	}{{"By service", "service", m.ByService}, {"By team", "team", m.ByTeam}, {"In total", "", m.Total}} {
		fmt.Fprintf(&b, "\n## %s\n\n", g.title)
		if len(g.rows) == 0 {
			b.WriteString("No deployment.\n")
			continue
		}
		if g.col != "" {
			b.WriteString("| " + g.col + " ")
		}
		b.WriteString("| month | deployments | change fail rate | recovery time (median) | rework rate | estimate ratio (median) | within P90 |\n")
		if g.col != "" {
			b.WriteString("|---")
		}
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
		for _, r := range g.rows {
			if g.col != "" {
				b.WriteString("| " + cell(r.Name) + " ")
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", r.Month.Format("2006-01"), r.Deployments,
				share(r.Failed, r.Deployments), recovery(r.Figures), share(r.Rework, r.Deployments),
				ratio(r.EstimateRatio, r.Estimated), calibration(r.Figures))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// share formats n/of as a percentage with its counts, "25% (1/4)".
func share(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", 100*float64(n)/float64(of), n, of)
}

func recovery(f Figures) string {
	if f.Recovered == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%d)", f.Recovery.Round(time.Minute), f.Recovered)
}

func ratio(r float64, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f (%d)", r, n)
}

func calibration(f Figures) string {
	if f.Calibrated == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%% (%d)", 100*f.P90Calibration, f.Calibrated)
}
