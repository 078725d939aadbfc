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

// timings returns each runbook step's timings in runs, and how many. The
// hand-over before a step runs from when the steps it waits for ended
// (the start of the rehearsal for a step that waits for none it ran) to
// its first start, and is never negative. The steps it waits for are read
// from deps and off (reduce) when the run timed them all.
func timings(runbook []Step, index map[string]int, deps, off []int32, runs []RehearsalRun, n *notes) ([][]timing, int) {
	out := make([][]timing, len(runbook))
	all := make([]timing, len(runbook)*len(runs))
	for i := range out {
		out[i] = all[i*len(runs) : i*len(runs) : (i+1)*len(runs)]
	}
	count := 0
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
				ws := deps[off[i]:off[i+1]]
				if slices.ContainsFunc(ws, func(j int32) bool { return !seen[j] }) {
					buf = waits(runbook, index, i, buf[:0]) // some not timed: read them all
					ws = buf
				}
				for _, j := range ws {
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
			count++
		}
	}
	return out, count
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
// the standard normal law, picked by 6 random bits.
const nFactors = 64

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
	facs       []float32
	order      []int32 // the outage steps, by start when each takes its mean timing
}

// build makes the model of runbook from the timings of runs.
func build(runbook []Step, runs []RehearsalRun, spread float64) (*model, *notes) {
	index := make(map[string]int, len(runbook))
	for i, s := range runbook {
		index[s.ID] = i
	}
	n := &notes{spread: spread}
	deps, off := reduce(runbook, index)
	obs, count := timings(runbook, index, deps, off, runs, n)
	m := &model{steps: make([]simStep, len(runbook)), deps: deps, facs: make([]float32, 0, nFactors*len(runbook)),
		cost: make([]float64, 0, count+len(runbook)), lead: make([]float64, 0, count+len(runbook))}
	z := normalQuantiles()
	facAt := map[float64]int{}
	for i, s := range runbook {
		ts, h := pick(s, obs[i], spread, n)
		at, ok := facAt[h]
		if !ok {
			at = len(m.facs)
			m.facs = factors(m.facs, z, h)
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
	ts := all
	switch prod := slices.ContainsFunc(all, func(t timing) bool { return t.prod }); {
	case prod:
		ts = slices.DeleteFunc(all, func(t timing) bool { return !t.prod })
	case len(all) > 0:
		n.notProd = append(n.notProd, s.ID)
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

// factors appends e^(h*z) for each quantile z, scaled to a mean of
// exactly 1: e^(h*Z - h²/2) on a grid.
func factors(to []float32, z []float64, h float64) []float32 {
	var f [nFactors]float64
	var sum float64
	for j, v := range z {
		f[j] = math.Exp(h * v)
		sum += f[j]
	}
	mean := sum / nFactors
	for _, v := range f {
		to = append(to, float32(v/mean))
	}
	return to
}

// interval is a step's outage in a trial, in nanoseconds from the start.
type interval struct{ from, to float64 }

// run draws trials cutovers and returns their durations and outages,
// sorted. It draws four trials side by side, in four lanes: their chains
// of additions are independent, and the processor runs them together.
// Each step of each trial takes 32 random bits: the low 24 pick a
// timing, the next 6 a factor.
func (m *model) run(trials int, seed uint64) (dur, out []time.Duration) {
	pcg := rand.NewPCG(seed, 0x6d65706b6974) // "mepkit"
	no := len(m.order)
	end := make([]float64, len(m.steps)*4) // step i's ends: end[4*i:][:4]
	iv := make([]interval, no*4)           // lane l's intervals: iv[l*no:][:no]
	dur, out = make([]time.Duration, trials), make([]time.Duration, trials)
	for t := 0; t < trials; t += 4 {
		var l0, l1, l2, l3 float64 // the lanes' last ends
		for i := range m.steps {
			s := &m.steps[i]
			var r0, r1, r2, r3 float64 // when the step may start
			for _, d := range m.deps[s.depLo:s.depHi] {
				e := (*[4]float64)(end[4*int(d):])
				r0, r1, r2, r3 = later(r0, e[0]), later(r1, e[1]), later(r2, e[2]), later(r3, e[3])
			}
			b0, b1 := pcg.Uint64(), pcg.Uint64()
			cost, facs, n := m.cost[s.obs:s.obs+s.nObs], (*[nFactors]float32)(m.facs[s.fac:]), uint64(s.nObs)
			k0, k1, k2, k3 := (b0&0xffffff)*n>>24, (b0>>32&0xffffff)*n>>24, (b1&0xffffff)*n>>24, (b1>>32&0xffffff)*n>>24
			f0, f1, f2, f3 := float64(facs[b0>>24&63]), float64(facs[b0>>56&63]), float64(facs[b1>>24&63]), float64(facs[b1>>56&63])
			// The conversions forbid fused multiply-adds: the same figures on every processor.
			e0, e1, e2, e3 := r0+float64(cost[k0]*f0), r1+float64(cost[k1]*f1), r2+float64(cost[k2]*f2), r3+float64(cost[k3]*f3)
			e := (*[4]float64)(end[4*i:])
			e[0], e[1], e[2], e[3] = e0, e1, e2, e3
			l0, l1, l2, l3 = later(l0, e0), later(l1, e1), later(l2, e2), later(l3, e3)
			if s.slot >= 0 {
				lead := m.lead[s.obs : s.obs+s.nObs]
				iv[s.slot] = interval{r0 + float64(lead[k0]*f0), e0}
				iv[no+s.slot] = interval{r1 + float64(lead[k1]*f1), e1}
				iv[2*no+s.slot] = interval{r2 + float64(lead[k2]*f2), e2}
				iv[3*no+s.slot] = interval{r3 + float64(lead[k3]*f3), e3}
			}
		}
		last := [4]float64{l0, l1, l2, l3}
		for l := range min(4, trials-t) {
			dur[t+l], out[t+l] = nanos(last[l]), nanos(union(iv[l*no:][:no]))
		}
	}
	return radixSort(dur), radixSort(out)
}

// radixSort sorts durations that are never negative, 11 bits at a time,
// skipping the digits they all share: a few passes over them instead of
// a comparison sort's many.
func radixSort(d []time.Duration) []time.Duration {
	if len(d) < 2 {
		return d
	}
	buf := make([]time.Duration, len(d))
	for shift := 0; shift < 64; shift += 11 {
		var count [1 << 11]int
		for _, v := range d {
			count[uint64(v)>>shift&(1<<11-1)]++
		}
		if count[uint64(d[0])>>shift&(1<<11-1)] == len(d) {
			continue // one digit for all: nothing to move
		}
		pos := 0
		for i, c := range count {
			count[i], pos = pos, pos+c
		}
		for _, v := range d {
			k := uint64(v) >> shift & (1<<11 - 1)
			buf[count[k]] = v
			count[k]++
		}
		d, buf = buf, d
	}
	return d
}

// later returns the later of two instants of a trial, never NaN: quicker
// than max, which must care for NaN.
func later(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
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
