package timeline

import (
	"encoding/json"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// JSON. The types a tool would log or send ([Entry], [Summary], [Span],
// [Period], [StepTotal], [Comparison], [Delta], [StepDelta], [Forecast],
// [Stats], [StepForecast], [Recovery]) marshal to JSON with snake_case
// fields, enums as their text ("outage", "done"), times in RFC 3339 and
// durations as a number of seconds (5400 for 1h30m, 0.5 for 500ms), as
// the other packages of the module do. Unmarshalling reads the same forms
// back.

// jsonError prefixes the error of a duration with the package name, where
// it first surfaces; every other error, and one already prefixed by a
// nested value, passes through as it is.
func jsonError(err error) error {
	if e, ok := err.(*timespan.Error); ok {
		return wrapError("", e)
	}
	return err
}

type spanJSON struct {
	Step     string           `json:"step"`
	Attempt  int              `json:"attempt"`
	Actor    string           `json:"actor,omitempty"`
	Start    time.Time        `json:"start"`
	End      time.Time        `json:"end,omitzero"`
	Duration timespan.Seconds `json:"duration"`
	Impact   Impact           `json:"impact"`
	Outcome  Outcome          `json:"outcome"`
	Open     bool             `json:"open,omitempty"`
	StartSeq uint64           `json:"start_seq"`
	EndSeq   uint64           `json:"end_seq,omitempty"`
}

// MarshalJSON writes the span in snake_case, its duration in seconds.
func (s Span) MarshalJSON() ([]byte, error) {
	return json.Marshal(spanJSON{s.Step, s.Attempt, s.Actor, s.Start, s.End, timespan.Seconds(s.Duration), s.Impact, s.Outcome, s.Open, s.StartSeq, s.EndSeq})
}

// UnmarshalJSON reads what [Span.MarshalJSON] writes.
func (s *Span) UnmarshalJSON(b []byte) error {
	var j spanJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*s = Span{j.Step, j.Attempt, j.Actor, j.Start, j.End, time.Duration(j.Duration), j.Impact, j.Outcome, j.Open, j.StartSeq, j.EndSeq}
	return nil
}

type summaryJSON struct {
	Start      time.Time        `json:"start,omitzero"`
	End        time.Time        `json:"end,omitzero"`
	Duration   timespan.Seconds `json:"duration"`
	Outage     timespan.Seconds `json:"outage"`
	Disruption timespan.Seconds `json:"disruption"`
	Steps      []Span           `json:"steps"`
	Entries    int              `json:"entries"`
	Open       int              `json:"open"`
	Ongoing    bool             `json:"ongoing,omitempty"`
}

// MarshalJSON writes the summary in snake_case, durations in seconds.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(summaryJSON{s.Start, s.End, timespan.Seconds(s.Duration), timespan.Seconds(s.Outage), timespan.Seconds(s.Disruption), s.Steps, s.Entries, s.Open, s.Ongoing})
}

// UnmarshalJSON reads what [Summary.MarshalJSON] writes.
func (s *Summary) UnmarshalJSON(b []byte) error {
	var j summaryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*s = Summary{j.Start, j.End, time.Duration(j.Duration), time.Duration(j.Outage), time.Duration(j.Disruption), j.Steps, j.Entries, j.Open, j.Ongoing}
	return nil
}

type periodJSON struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// MarshalJSON writes {"start", "end"}.
func (p Period) MarshalJSON() ([]byte, error) { return json.Marshal(periodJSON(p)) }

// UnmarshalJSON reads what [Period.MarshalJSON] writes.
func (p *Period) UnmarshalJSON(b []byte) error {
	var j periodJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*p = Period(j)
	return nil
}

type stepTotalJSON struct {
	Step       string           `json:"step"`
	Attempts   int              `json:"attempts"`
	Elapsed    timespan.Seconds `json:"elapsed"`
	Outage     timespan.Seconds `json:"outage"`
	Disruption timespan.Seconds `json:"disruption"`
	Impact     Impact           `json:"impact"`
	Outcome    Outcome          `json:"outcome"`
	Open       bool             `json:"open,omitempty"`
}

// MarshalJSON writes the total in snake_case, durations in seconds.
func (t StepTotal) MarshalJSON() ([]byte, error) {
	return json.Marshal(stepTotalJSON{t.Step, t.Attempts, timespan.Seconds(t.Elapsed), timespan.Seconds(t.Outage), timespan.Seconds(t.Disruption), t.Impact, t.Outcome, t.Open})
}

// UnmarshalJSON reads what [StepTotal.MarshalJSON] writes.
func (t *StepTotal) UnmarshalJSON(b []byte) error {
	var j stepTotalJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*t = StepTotal{j.Step, j.Attempts, time.Duration(j.Elapsed), time.Duration(j.Outage), time.Duration(j.Disruption), j.Impact, j.Outcome, j.Open}
	return nil
}

type deltaJSON struct {
	Step     string           `json:"step,omitempty"`
	Baseline timespan.Seconds `json:"baseline"`
	Actual   timespan.Seconds `json:"actual"`
}

// MarshalJSON writes {"baseline", "actual"} in seconds.
func (d Delta) MarshalJSON() ([]byte, error) {
	return json.Marshal(deltaJSON{Baseline: timespan.Seconds(d.Baseline), Actual: timespan.Seconds(d.Actual)})
}

// UnmarshalJSON reads what [Delta.MarshalJSON] writes.
func (d *Delta) UnmarshalJSON(b []byte) error {
	var j deltaJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*d = Delta{time.Duration(j.Baseline), time.Duration(j.Actual)}
	return nil
}

// MarshalJSON writes {"step", "baseline", "actual"}, durations in seconds.
func (d StepDelta) MarshalJSON() ([]byte, error) {
	return json.Marshal(deltaJSON{d.Step, timespan.Seconds(d.Baseline), timespan.Seconds(d.Actual)})
}

// UnmarshalJSON reads what [StepDelta.MarshalJSON] writes.
func (d *StepDelta) UnmarshalJSON(b []byte) error {
	var j deltaJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*d = StepDelta{j.Step, Delta{time.Duration(j.Baseline), time.Duration(j.Actual)}}
	return nil
}

type comparisonJSON struct {
	Duration   Delta       `json:"duration"`
	Outage     Delta       `json:"outage"`
	Disruption Delta       `json:"disruption"`
	Steps      []StepDelta `json:"steps"`
	Missing    []string    `json:"missing,omitempty"`
	Added      []string    `json:"added,omitempty"`
}

// MarshalJSON writes the comparison in snake_case, durations in seconds.
func (c Comparison) MarshalJSON() ([]byte, error) { return json.Marshal(comparisonJSON(c)) }

// UnmarshalJSON reads what [Comparison.MarshalJSON] writes.
func (c *Comparison) UnmarshalJSON(b []byte) error {
	var j comparisonJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*c = Comparison(j)
	return nil
}

type statsJSON struct {
	N      int              `json:"n"`
	Min    timespan.Seconds `json:"min"`
	Median timespan.Seconds `json:"median"`
	Max    timespan.Seconds `json:"max"`
}

// MarshalJSON writes {"n", "min", "median", "max"}, durations in seconds.
func (s Stats) MarshalJSON() ([]byte, error) {
	return json.Marshal(statsJSON{s.N, timespan.Seconds(s.Min), timespan.Seconds(s.Median), timespan.Seconds(s.Max)})
}

// UnmarshalJSON reads what [Stats.MarshalJSON] writes.
func (s *Stats) UnmarshalJSON(b []byte) error {
	var j statsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*s = Stats{j.N, time.Duration(j.Min), time.Duration(j.Median), time.Duration(j.Max)}
	return nil
}

type stepForecastJSON struct {
	Step       string `json:"step"`
	Impact     Impact `json:"impact"`
	Runs       int    `json:"runs"`
	Elapsed    Stats  `json:"elapsed"`
	Outage     Stats  `json:"outage"`
	Disruption Stats  `json:"disruption"`
}

// MarshalJSON writes the forecast of the step in snake_case.
func (f StepForecast) MarshalJSON() ([]byte, error) { return json.Marshal(stepForecastJSON(f)) }

// UnmarshalJSON reads what [StepForecast.MarshalJSON] writes.
func (f *StepForecast) UnmarshalJSON(b []byte) error {
	var j stepForecastJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*f = StepForecast(j)
	return nil
}

type forecastJSON struct {
	Runs       int            `json:"runs"`
	Duration   Stats          `json:"duration"`
	Outage     Stats          `json:"outage"`
	Disruption Stats          `json:"disruption"`
	Steps      []StepForecast `json:"steps"`
}

// MarshalJSON writes the forecast in snake_case.
func (f Forecast) MarshalJSON() ([]byte, error) { return json.Marshal(forecastJSON(f)) }

// UnmarshalJSON reads what [Forecast.MarshalJSON] writes.
func (f *Forecast) UnmarshalJSON(b []byte) error {
	var j forecastJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonError(err)
	}
	*f = Forecast(j)
	return nil
}
