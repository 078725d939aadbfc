package mep

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// The engine of Simulate: a model of the runbook (each step's timings and
// the steps it waits for), then the trials.

// simulate builds the model of runbook from runs and runs o's trials;
// runbook and o are valid.
func simulate(runbook []Step, runs []RehearsalRun, o SimOptions) Overrun {
	o = o.withDefaults()
	m, n := build(runbook, runs, o.Spread)
	dur, out := m.run(o.Trials, o.Seed)
	ov := Overrun{
		T0: o.T0, WindowEnd: o.WindowEnd, Trials: o.Trials, Rehearsals: len(runs),
		Duration: Distribution{dur}, Outage: Distribution{out},
		Unknown: n.unknown, Warnings: n.warnings(),
	}
	if !o.WindowEnd.IsZero() {
		ov.PastWindow = ov.Duration.Above(o.WindowEnd.Sub(o.T0))
	}
	return ov
}

// timing is one rehearsal's timing of one step, in nanoseconds: the
// hand-over before it and its elapsed time.
type timing struct {
	lead, elapsed float64
	prod          bool // from a production-like rehearsal
}

// notes gathers what the warnings say.
type notes struct {
	spread                                  float64
	unknown, expected, thin, notProd, alien []string
	dropped                                 int
}

func (n *notes) warnings() []string {
	var w []string
	say := func(ids []string, what string) {
		if len(ids) > 0 {
			w = append(w, "overrun: "+what+": "+names(ids))
		}
	}
	spread := fmt.Sprintf("a log-spread of %g", n.spread)
	say(n.thin, "timed by one rehearsal only, so taken with "+spread+" around that timing")
	say(n.expected, "timed by no rehearsal, so taken from Expected with "+spread)
	say(n.notProd, "timed only outside production-like conditions (R5)")
	say(n.unknown, "neither timed by a rehearsal nor Expected, so counted as taking no time")
	say(n.alien, "timed by the rehearsals but not in the runbook, so ignored")
	if n.dropped > 0 {
		w = append(w, fmt.Sprintf("overrun: %d timings ignored: ending before they start, or over a year", n.dropped))
	}
	return w
}

// timings returns each runbook step's timings in runs. The hand-over
// before a step runs from when the steps it waits for ended (the start of
// the rehearsal for a step that waits for none it ran) to its first
// start, and is never negative.
func timings(runbook []Step, index map[string]int, runs []RehearsalRun, n *notes) [][]timing {
	out := make([][]timing, len(runbook))
	first := make([]time.Time, len(runbook))
	last := make([]time.Time, len(runbook))
	seen := make([]bool, len(runbook))
	var buf []int32
	for _, rh := range runs {
		clear(seen)
		var start time.Time
		begun := false
		for _, sp := range rh.Summary.Steps {
			i, ok := index[sp.Step]
			switch {
			case !ok:
				if !slices.Contains(n.alien, sp.Step) {
					n.alien = append(n.alien, sp.Step)
				}
				continue
			case sp.Open:
				continue
			case sp.End.Before(sp.Start):
				n.dropped++
				continue
			}
			if !seen[i] || sp.Start.Before(first[i]) {
				first[i] = sp.Start
			}
			if !seen[i] || sp.End.After(last[i]) {
				last[i] = sp.End
			}
			seen[i] = true
			if !begun || sp.Start.Before(start) {
				start, begun = sp.Start, true
			}
		}
		var latest time.Time // the latest end of the steps before, in this run
		for i, s := range runbook {
			if !seen[i] {
				continue
			}
			ready := start
			if len(s.DependsOn) == 0 && s.Group == "" {
				if latest.After(ready) {
					ready = latest
				}
			} else {
				buf = waits(runbook, index, i, buf[:0])
				for _, j := range buf {
					if seen[j] && last[j].After(ready) {
						ready = last[j]
					}
				}
			}
			lead, elapsed := max(first[i].Sub(ready), 0), last[i].Sub(first[i])
			if last[i].After(latest) {
				latest = last[i]
			}
			if lead > maxCutover || elapsed > maxCutover {
				n.dropped++
				continue
			}
			out[i] = append(out[i], timing{lead: float64(lead), elapsed: float64(elapsed), prod: rh.ProductionLike})
		}
	}
	return out
}

// waits appends to buf the steps that step i waits for (R10), latest
// first, by the rule a cutover follows (waitsOn): its DependsOn, or else
// every earlier step outside its parallel group.
func waits(runbook []Step, index map[string]int, i int, buf []int32) []int32 {
	s := runbook[i]
	if len(s.DependsOn) > 0 {
		for _, d := range s.DependsOn {
			buf = append(buf, int32(index[d]))
		}
		slices.Sort(buf)
		slices.Reverse(buf)
		return slices.Compact(buf)
	}
	for j := i - 1; j >= 0; j-- {
		if s.Group == "" || runbook[j].Group != s.Group {
			buf = append(buf, int32(j))
		}
	}
	return buf
}

// reduce returns the steps each step waits for, less those that another
// of them waits for, directly or not: steps never take negative time, so
// a step that waits for those ends after them, and the start is the same
// with fewer steps to read. A plain runbook reduces to one step each.
// Step i's are deps[off[i]:off[i+1]].
func reduce(runbook []Step, index map[string]int) (deps, off []int32) {
	n := len(runbook)
	w := (n + 63) / 64
	anc := make([]uint64, n*w) // each step's ancestors, a bit set
	cover := make([]uint64, w)
	off = make([]int32, n+1)
	var buf []int32
	for i := range runbook {
		buf = waits(runbook, index, i, buf[:0])
		clear(cover)
		for _, j := range buf { // latest first: a later step covers earlier ones
			if cover[j/64]&(1<<(j%64)) != 0 {
				continue
			}
			deps = append(deps, j)
			for k, a := range anc[int(j)*w : int(j+1)*w] {
				cover[k] |= a
			}
			cover[j/64] |= 1 << (j % 64)
		}
		copy(anc[i*w:(i+1)*w], cover)
		off[i+1] = int32(len(deps))
	}
	return deps, off
}

// nFactors is the number of values of the smoothing factor: quantiles of
// the standard normal law.
const nFactors = 256

// simStep is a step of the model.
type simStep struct {
	depLo, depHi int32 // its reduced waits: model.deps[depLo:depHi]
	obs, nObs    int   // its timings: model.cost[obs:obs+nObs]
	fac          int   // its factors: model.facs[fac:fac+nFactors]
	slot         int   // an outage step's place among the intervals of a trial; -1: not an outage
}

// model is a runbook ready for the trials.
type model struct {
	steps      []simStep
	deps       []int32
	cost, lead []float64 // per timing: hand-over plus elapsed; hand-over
	facs       []float64
	order      []int32 // the outage steps, by start when each takes its mean timing
}

// build makes the model of runbook from the timings of runs.
func build(runbook []Step, runs []RehearsalRun, spread float64) (*model, *notes) {
	index := make(map[string]int, len(runbook))
	for i, s := range runbook {
		index[s.ID] = i
	}
	n := &notes{spread: spread}
	obs := timings(runbook, index, runs, n)
	m := &model{steps: make([]simStep, len(runbook))}
	deps, off := reduce(runbook, index)
	m.deps = deps
	z := normalQuantiles()
	facAt := map[float64]int{}
	for i, s := range runbook {
		ts, h := pick(s, obs[i], spread, n)
		at, ok := facAt[h]
		if !ok {
			at = len(m.facs)
			m.facs = append(m.facs, factors(z, h)...)
			facAt[h] = at
		}
		m.steps[i] = simStep{depLo: off[i], depHi: off[i+1], obs: len(m.cost), nObs: len(ts), fac: at, slot: -1}
		if s.Impact == timeline.Outage {
			m.steps[i].slot = 0
		}
		for _, t := range ts {
			m.cost = append(m.cost, t.lead+t.elapsed)
			m.lead = append(m.lead, t.lead)
		}
	}
	m.order = m.slots()
	return m, n
}

// pick returns the timings step s is drawn from and their log-spread h:
// the production-like ones if any, else all; else its Expected duration;
// else nothing, a step not known.
func pick(s Step, all []timing, spread float64, n *notes) ([]timing, float64) {
	var prod []timing
	for _, t := range all {
		if t.prod {
			prod = append(prod, t)
		}
	}
	ts := prod
	if len(prod) == 0 {
		ts = all
		if len(all) > 0 {
			n.notProd = append(n.notProd, s.ID)
		}
	}
	switch {
	case len(ts) == 0 && s.Expected > 0:
		n.expected = append(n.expected, s.ID)
		return []timing{{elapsed: float64(s.Expected)}}, spread
	case len(ts) == 0:
		n.unknown = append(n.unknown, s.ID)
		return []timing{{}}, 0
	case len(ts) == 1:
		n.thin = append(n.thin, s.ID)
		return ts, spread
	}
	return ts, logSpread(ts) * math.Sqrt(2/float64(len(ts)))
}

// logSpread returns the standard deviation of the logarithms of the
// timings that took some time; 0 for fewer than two.
func logSpread(ts []timing) float64 {
	var k, sum float64
	for _, t := range ts {
		if c := t.lead + t.elapsed; c > 0 {
			k, sum = k+1, sum+math.Log(c)
		}
	}
	if k < 2 {
		return 0
	}
	mean, sq := sum/k, 0.0
	for _, t := range ts {
		if c := t.lead + t.elapsed; c > 0 {
			sq += (math.Log(c) - mean) * (math.Log(c) - mean)
		}
	}
	return math.Sqrt(sq / (k - 1))
}

// normalQuantiles returns the standard normal law's quantiles at the
// middle of nFactors equal slices, scaled to a variance of exactly 1.
func normalQuantiles() []float64 {
	z := make([]float64, nFactors)
	var sq float64
	for j := range z {
		z[j] = math.Sqrt2 * math.Erfinv(2*(float64(j)+0.5)/nFactors-1)
		sq += z[j] * z[j]
	}
	s := math.Sqrt(sq / nFactors)
	for j := range z {
		z[j] /= s
	}
	return z
}

// factors returns e^(h*z) for each quantile z, scaled to a mean of
// exactly 1: e^(h*Z - h²/2) on a grid.
func factors(z []float64, h float64) []float64 {
	f := make([]float64, len(z))
	var sum float64
	for j, v := range z {
		f[j] = math.Exp(h * v)
		sum += f[j]
	}
	mean := sum / float64(len(f))
	for j := range f {
		f[j] /= mean
	}
	return f
}

// interval is a step's outage in a trial, in nanoseconds from the start.
type interval struct{ from, to float64 }

// run draws trials cutovers and returns their durations and outages,
// sorted. Each step takes 32 random bits: the low 24 pick a timing, the
// top 8 a factor.
func (m *model) run(trials int, seed uint64) (dur, out []time.Duration) {
	pcg := rand.NewPCG(seed, 0x6d65706b6974) // "mepkit"
	end := make([]float64, len(m.steps))
	iv := make([]interval, len(m.order))
	dur, out = make([]time.Duration, trials), make([]time.Duration, trials)
	for t := range trials {
		var last float64
		var bits uint64
		for i := range m.steps {
			s := &m.steps[i]
			var ready float64
			for _, d := range m.deps[s.depLo:s.depHi] {
				if end[d] > ready {
					ready = end[d]
				}
			}
			if i&1 == 0 {
				bits = pcg.Uint64()
			} else {
				bits >>= 32
			}
			k := s.obs + int((bits&0xffffff)*uint64(s.nObs)>>24)
			f := m.facs[s.fac+int(bits>>24&0xff)]
			e := ready + float64(m.cost[k]*f) // the conversion forbids a fused multiply-add: same figures everywhere
			end[i] = e
			if e > last {
				last = e
			}
			if s.slot >= 0 {
				iv[s.slot] = interval{ready + float64(m.lead[k]*f), e}
			}
		}
		dur[t], out[t] = nanos(last), nanos(union(iv))
	}
	slices.Sort(dur)
	slices.Sort(out)
	return dur, out
}

// slots returns the outage steps in the order they start when each takes
// its mean timing, and sets each one's slot: where its interval goes, so
// that the intervals of a trial come nearly sorted.
func (m *model) slots() []int32 {
	start, end := make([]float64, len(m.steps)), make([]float64, len(m.steps))
	var order []int32
	for i := range m.steps {
		s := &m.steps[i]
		var ready, cost, lead float64
		for _, d := range m.deps[s.depLo:s.depHi] {
			ready = max(ready, end[d])
		}
		for k := s.obs; k < s.obs+s.nObs; k++ {
			cost, lead = cost+m.cost[k], lead+m.lead[k]
		}
		start[i], end[i] = ready+lead/float64(s.nObs), ready+cost/float64(s.nObs)
		if s.slot >= 0 {
			order = append(order, int32(i))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(start[a], start[b]) })
	for k, i := range order {
		m.steps[i].slot = k
	}
	return order
}

// union returns the length of the union of iv, which it sorts by start:
// an insertion sort, quick on intervals nearly sorted.
func union(iv []interval) float64 {
	for i := 1; i < len(iv); i++ {
		for j := i; j > 0 && iv[j].from < iv[j-1].from; j-- {
			iv[j], iv[j-1] = iv[j-1], iv[j]
		}
	}
	var total, from, to float64
	for i, v := range iv {
		if i == 0 || v.from > to {
			total += to - from
			from, to = v.from, v.to
			continue
		}
		if v.to > to {
			to = v.to
		}
	}
	return total + to - from
}

// nanos returns x nanoseconds as a Duration, within its bounds.
func nanos(x float64) time.Duration {
	switch {
	case !(x > 0):
		return 0
	case x >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(x)
}
