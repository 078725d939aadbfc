package fleet

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
)

// Figures are the delivery figures of a group of deployments, in DORA's
// current terms (see docs/method.md, "Delivery metrics across a store").
// A deployment is a rollout whose cutover started and ended done, rolled
// back or failed; it counts in the month it started. Ratios are 0 when
// nothing gave them a value.
type Figures struct {
	// Deployments is the deployment frequency: deployments in the month.
	Deployments int `json:"deployments"`
	// Failed counts the failed changes: rolled back, failed, or named by
	// the FixesLabel of a later rollout (a hotfix).
	Failed int `json:"failed"`
	// ChangeFailRate is Failed / Deployments, from 0 to 1.
	ChangeFailRate float64 `json:"change_fail_rate"`
	// Recovery is the failed deployment recovery time: the median over
	// the Recovered failed changes of the time until users had the
	// service back: a rollback's time to restore, or else the time from
	// the failed change's end to its hotfix's end. JSON: recovery_s.
	Recovery  time.Duration `json:"-"`
	Recovered int           `json:"recovered"`
	// Rework counts the unplanned deployments made to fix a failed one
	// (those with a FixesLabel); ReworkRate is Rework / Deployments.
	Rework     int     `json:"rework"`
	ReworkRate float64 `json:"rework_rate"`
	// EstimateRatio is the median of actual / estimated duration over
	// the Estimated deployments done with an estimate: 1.1 is 10% longer
	// than the rehearsals said.
	EstimateRatio float64 `json:"estimate_ratio"`
	Estimated     int     `json:"estimated"`
	// P90Calibration is the share of the Calibrated deployments done
	// with a P90 whose duration did not exceed it: near 0.9 when the P90
	// is honest.
	P90Calibration float64 `json:"p90_calibration"`
	Calibrated     int     `json:"calibrated"`

	recoveries []time.Duration // scratch
	ratios     []float64       // scratch
	withinP90  int
}

// Row is the figures of one service or team (Name; "" for every
// deployment) in one month (midnight of its first day in the metrics'
// location).
type Row struct {
	Name  string    `json:"name"`
	Month time.Time `json:"month"`
	Figures
}

// Metrics are the delivery figures of a store per service, team and
// month. A deployment counts for every service it declares (resources
// of kind mep.Service), or, declaring none, for its project's name.
type Metrics struct {
	Location  *time.Location `json:"-"`
	ByService []Row          `json:"by_service"` // by name, then month
	ByTeam    []Row          `json:"by_team"`    // by name, then month
	Total     []Row          `json:"total"`      // by month
}

// Metrics computes the delivery figures of every rollout of the
// snapshot, months in loc (nil: UTC). It reads the snapshot only: the
// records were folded at the scan.
func (s *Snapshot) Metrics(loc *time.Location) *Metrics {
	if loc == nil {
		loc = time.UTC
	}
	fixed := fixes(s.Entries)
	type key struct {
		name  string
		month int64
	}
	svc, team, total := map[key]*Figures{}, map[key]*Figures{}, map[key]*Figures{}
	at := func(m map[key]*Figures, k key) *Figures {
		f := m[k]
		if f == nil {
			f = &Figures{}
			m[k] = f
		}
		return f
	}
	var services []string
	for i := range s.Entries {
		e := &s.Entries[i]
		if e.Started.IsZero() || e.Ended.IsZero() || e.Status < report.Done || e.Status > report.Failed {
			continue
		}
		y, mo, _ := e.Started.In(loc).Date()
		month := time.Date(y, mo, 1, 0, 0, 0, 0, loc).Unix()
		services = e.services(services[:0])
		fix := fixed[e.ID()]
		for _, name := range services {
			at(svc, key{name, month}).add(e, fix)
		}
		at(team, key{e.Team, month}).add(e, fix)
		at(total, key{"", month}).add(e, fix)
	}
	rows := func(m map[key]*Figures) []Row {
		out := make([]Row, 0, len(m))
		for k, f := range m {
			f.finish()
			out = append(out, Row{Name: k.name, Month: time.Unix(k.month, 0).In(loc), Figures: *f})
		}
		slices.SortFunc(out, func(a, b Row) int { return cmp.Or(cmp.Compare(a.Name, b.Name), a.Month.Compare(b.Month)) })
		return out
	}
	return &Metrics{Location: loc, ByService: rows(svc), ByTeam: rows(team), Total: rows(total)}
}

// services appends the names of e's services to buf, or its project's.
func (e *Entry) services(buf []string) []string {
	for _, r := range e.Resources {
		if r.Kind == mep.Service {
			buf = append(buf, r.Name)
		}
	}
	if len(buf) == 0 {
		buf = append(buf, e.Project)
	}
	return buf
}

// fixes maps the ID of each rollout that a later one fixes (FixesLabel)
// to the first fix that ended.
func fixes(es []Entry) map[string]*Entry {
	out := map[string]*Entry{}
	for i := range es {
		e := &es[i]
		target := e.Labels[FixesLabel]
		if target == "" {
			continue
		}
		if !strings.Contains(target, "/") {
			target = e.Project + "/" + target
		}
		if old := out[target]; old == nil || (!e.Ended.IsZero() && (old.Ended.IsZero() || e.Ended.Before(old.Ended))) {
			out[target] = e
		}
	}
	return out
}

// add counts deployment e, fixed by fix (nil: none) in f.
func (f *Figures) add(e, fix *Entry) {
	f.Deployments++
	if e.Labels[FixesLabel] != "" {
		f.Rework++
	}
	failed := e.Status == report.RolledBack || e.Status == report.Failed
	if failed || fix != nil {
		f.Failed++
		switch {
		case failed && e.TimeToRestore > 0:
			f.recoveries = append(f.recoveries, e.TimeToRestore)
		case fix != nil && !fix.Ended.IsZero() && fix.Ended.After(e.Ended):
			f.recoveries = append(f.recoveries, fix.Ended.Sub(e.Ended))
		}
	}
	if e.Status != report.Done || e.Duration <= 0 {
		return
	}
	if e.Estimate > 0 {
		f.ratios = append(f.ratios, float64(e.Duration)/float64(e.Estimate))
	}
	if !e.P90.IsZero() && e.P90.After(e.T0) {
		f.Calibrated++
		if e.Duration <= e.P90.Sub(e.T0) {
			f.withinP90++
		}
	}
}

// finish computes the ratios and medians.
func (f *Figures) finish() {
	if f.Deployments > 0 {
		f.ChangeFailRate = float64(f.Failed) / float64(f.Deployments)
		f.ReworkRate = float64(f.Rework) / float64(f.Deployments)
	}
	f.Recovered, f.Recovery = len(f.recoveries), median(f.recoveries)
	f.Estimated = len(f.ratios)
	if f.Estimated > 0 {
		f.EstimateRatio = median(f.ratios)
	}
	if f.Calibrated > 0 {
		f.P90Calibration = float64(f.withinP90) / float64(f.Calibrated)
	}
	f.recoveries, f.ratios = nil, nil
}

// median returns the median of ds (the lower of the two middle values
// for an even count), sorting ds; 0 for none.
func median[T cmp.Ordered](ds []T) T {
	if len(ds) == 0 {
		var zero T
		return zero
	}
	slices.Sort(ds)
	return ds[(len(ds)-1)/2]
}
