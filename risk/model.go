package risk

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"
)

// The model of a runbook: each step's timings and the steps it waits
// for, ready for the trials (trials.go).

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

// span is what one run says of one step: its first start and last end.
type span struct {
	first, last time.Time
	seen        bool
}

// observe gathers the first start and last end of each runbook step in
// run, and returns the run's start; alien steps and bad attempts are
// noted. Attempts come mostly in the runbook's order: the step after the
// previous attempt's is tried before the index.
func observe(rh Run, runbook []Step, index map[string]int, sp []span, n *notes) (start time.Time) {
	clear(sp)
	begun := false
	next := 0
	for _, a := range rh.Attempts {
		i, ok := next, next < len(runbook) && runbook[next].ID == a.Step
		if !ok {
			i, ok = index[a.Step]
		}
		if ok {
			next = i + 1
		}
		switch {
		case !ok:
			if !slices.Contains(n.alien, a.Step) {
				n.alien = append(n.alien, a.Step)
			}
			continue
		case a.Open:
			continue
		case a.End.Before(a.Start):
			n.dropped++
			continue
		}
		s := &sp[i]
		if !s.seen || a.Start.Before(s.first) {
			s.first = a.Start
		}
		if !s.seen || a.End.After(s.last) {
			s.last = a.End
		}
		s.seen = true
		if !begun || a.Start.Before(start) {
			start, begun = a.Start, true
		}
	}
	return start
}

// timings returns each runbook step's timings in runs, and how many. The
// hand-over before a step runs from when the steps it waits for ended
// (the start of the rehearsal for a step that waits for none it ran) to
// its first start, and is never negative. The steps it waits for are read
// from deps and off (reduce) when the run timed them all.
//
// Many runs are read on several goroutines, each a part of them; the
// parts' timings and notes are then joined in the runs' order.
func timings(runbook []Step, index map[string]int, deps, off []int32, runs []Run, n *notes) ([][]timing, int) {
	parts := min(workers(len(runs)*len(runbook), minParallelTimings), len(runs))
	if parts <= 1 {
		return timingsOf(runbook, index, deps, off, runs, n)
	}
	type part struct {
		obs   [][]timing
		count int
		n     notes
	}
	ps := make([]part, parts)
	inParallel(len(runs), parts, func(k, lo, hi int) {
		p := &ps[k]
		p.obs, p.count = timingsOf(runbook, index, deps, off, runs[lo:hi], &p.n)
	})
	count := 0
	for _, p := range ps {
		count += p.count
		n.dropped += p.n.dropped
		for _, a := range p.n.alien {
			if !slices.Contains(n.alien, a) {
				n.alien = append(n.alien, a)
			}
		}
	}
	out, all := make([][]timing, len(runbook)), make([]timing, 0, count)
	for i := range out {
		at := len(all)
		for _, p := range ps {
			all = append(all, p.obs[i]...)
		}
		out[i] = all[at:len(all):len(all)]
	}
	return out, count
}

// minParallelTimings is the least number of a runbook's steps times runs
// worth a goroutine of their own.
const minParallelTimings = 1024

// timingsOf is timings on one goroutine.
func timingsOf(runbook []Step, index map[string]int, deps, off []int32, runs []Run, n *notes) ([][]timing, int) {
	out := make([][]timing, len(runbook))
	all := make([]timing, len(runbook)*len(runs))
	for i := range out {
		out[i] = all[i*len(runs) : i*len(runs) : (i+1)*len(runs)]
	}
	count := 0
	sp := make([]span, len(runbook))
	var buf []int32
	for _, rh := range runs {
		start := observe(rh, runbook, index, sp, n)
		var latest time.Time // the latest end of the steps before, in this run
		for i, s := range runbook {
			if !sp[i].seen {
				continue
			}
			ready := start
			if len(s.DependsOn) == 0 && s.Group == "" {
				if latest.After(ready) {
					ready = latest
				}
			} else {
				ws := deps[off[i]:off[i+1]]
				if slices.ContainsFunc(ws, func(j int32) bool { return !sp[j].seen }) {
					buf = waits(runbook, index, i, buf[:0]) // some not timed: read them all
					ws = buf
				}
				for _, j := range ws {
					if sp[j].seen && sp[j].last.After(ready) {
						ready = sp[j].last
					}
				}
			}
			lead, elapsed := max(sp[i].first.Sub(ready), 0), sp[i].last.Sub(sp[i].first)
			if sp[i].last.After(latest) {
				latest = sp[i].last
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
// first, by the rule a cutover follows: its DependsOn, or else every
// earlier step outside its parallel group.
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
	obs, nObs    int32 // its timings: model.cost[obs:obs+nObs]
	fac          int32 // its factors: model.facs[fac:fac+nFactors]; -1: no spread, a factor of 1
	outage       int32 // its slot among the outage steps (see slots); -1: not an outage
	lane         int32 // the lane that holds its ends in a block of trials (see place)
	sink         bool  // no step waits for it: the last to end is among such steps
}

// model is a runbook ready for the trials.
type model struct {
	steps      []simStep
	deps       []int32
	ins        []int32   // the lanes of deps, one for one
	cost, lead []float64 // per timing: hand-over plus elapsed; hand-over
	facs       []float64
	outages    int // the number of outage steps
	lanes      int // the number of lanes a block of trials keeps the steps' ends in
}

// build makes the model of runbook from the timings of runs.
func build(runbook []Step, runs []Run, spread float64) (*model, *notes) {
	index := make(map[string]int, len(runbook))
	for i, s := range runbook {
		index[s.ID] = i
	}
	n := &notes{spread: spread}
	deps, off := reduce(runbook, index)
	obs, count := timings(runbook, index, deps, off, runs, n)
	m := &model{steps: make([]simStep, len(runbook)), deps: deps,
		cost: make([]float64, 0, count+len(runbook)), lead: make([]float64, 0, count+len(runbook))}
	hs := make([]float64, len(runbook)) // each step's log-spread
	spreads, logs := 0, make([]float64, 0, len(runs))
	for i, s := range runbook {
		var ts []timing
		ts, hs[i] = pick(s, obs[i], spread, logs, n)
		if hs[i] > 0 {
			spreads++
		}
		st := simStep{depLo: off[i], depHi: off[i+1], obs: int32(len(m.cost)), nObs: int32(len(ts)), fac: -1, outage: -1}
		if s.Outage {
			st.outage = int32(m.outages)
			m.outages++
		}
		m.steps[i] = st
		for _, t := range ts {
			m.cost = append(m.cost, t.lead+t.elapsed)
			m.lead = append(m.lead, t.lead)
		}
	}
	facAt := make(map[float64]int32, spreads)
	uniq := make([]float64, 0, spreads) // the log-spreads, each once
	for i, h := range hs {
		if h > 0 {
			at, ok := facAt[h]
			if !ok {
				at = int32(len(uniq) * nFactors)
				uniq = append(uniq, h)
				facAt[h] = at
			}
			m.steps[i].fac = at
		}
	}
	z := normalQuantiles()
	m.facs = make([]float64, len(uniq)*nFactors)
	inParallel(len(uniq), workers(len(uniq), minParallelFactors), func(_, lo, hi int) {
		for u := lo; u < hi; u++ {
			factors(m.facs[u*nFactors:(u+1)*nFactors], z, uniq[u])
		}
	})
	m.slots()
	m.place()
	return m, n
}

// pick returns the timings step s is drawn from and their log-spread h:
// the production-like ones if any, else all; else its Expected duration;
// else nothing, a step not known. It uses logs's room for the timings'
// logarithms.
func pick(s Step, all []timing, spread float64, logs []float64, n *notes) ([]timing, float64) {
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
	return ts, logSpread(ts, logs) * math.Sqrt(2/float64(len(ts)))
}

// logSpread returns the standard deviation of the logarithms of the
// timings that took some time; 0 for fewer than two. It keeps the
// logarithms in logs's room.
func logSpread(ts []timing, logs []float64) float64 {
	var k, sum float64
	logs = logs[:0]
	for _, t := range ts {
		if c := t.lead + t.elapsed; c > 0 {
			logs = append(logs, math.Log(c))
			k, sum = k+1, sum+logs[len(logs)-1]
		}
	}
	if k < 2 {
		return 0
	}
	mean, sq := sum/k, 0.0
	for _, l := range logs {
		sq += (l - mean) * (l - mean)
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

// factors sets f to e^(h*z) for each quantile z, scaled to a mean of
// exactly 1: e^(h*Z - h²/2) on a grid.
func factors(f []float64, z []float64, h float64) {
	var sum float64
	for j, v := range z {
		f[j] = math.Exp(h * v)
		sum += f[j]
	}
	mean := sum / nFactors
	for j := range f {
		f[j] /= mean
	}
}

// minParallelFactors is the least number of factor grids worth a
// goroutine of their own.
const minParallelFactors = 32

// workers returns on how many goroutines to share n items, each taking
// at least grain of them: up to GOMAXPROCS (at most maxWorkers), at least
// 1.
func workers(n, grain int) int {
	return max(min(runtime.GOMAXPROCS(0), maxWorkers, n/grain), 1)
}

// inParallel calls f(k, lo, hi) for each part k of [0, n) cut in parts
// consecutive parts, each on a goroutine of its own (part 0 on the
// caller's), and returns when they are done.
func inParallel(n, parts int, f func(k, lo, hi int)) {
	var wg sync.WaitGroup
	for k := 1; k < parts; k++ {
		wg.Go(func() { f(k, k*n/parts, (k+1)*n/parts) })
	}
	f(0, 0, n/parts)
	wg.Wait()
}

// slots numbers the outage steps in the order they start when each takes
// its mean timing: the order in which their intervals are merged, so that
// a trial's intervals come nearly sorted.
func (m *model) slots() {
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
		if s.outage >= 0 {
			order = append(order, int32(i))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(start[a], start[b]) })
	for k, i := range order {
		m.steps[i].outage = int32(k)
	}
}

// place gives each step the lane of a block of trials that holds its
// ends, from its draw to that of the last step that waits for it: a lane
// is reused once no step is left to read it, so that a block's lanes stay
// few and in the processor's first-level cache. A step's lane is none of
// those of the steps it waits for. A step that no step waits for is a
// sink: its ends are read at once (see block.draw), and its lane freed.
func (m *model) place() {
	last := make([]int32, len(m.steps)) // the last step that waits for step i; -1: none
	for i := range last {
		last[i] = -1
	}
	for i, s := range m.steps {
		for _, d := range m.deps[s.depLo:s.depHi] {
			last[d] = int32(i)
		}
	}
	m.ins = make([]int32, len(m.deps))
	var free []int32
	for i := range m.steps {
		s := &m.steps[i]
		if k := len(free); k > 0 {
			s.lane, free = free[k-1], free[:k-1]
		} else {
			s.lane = int32(m.lanes)
			m.lanes++
		}
		for k := s.depLo; k < s.depHi; k++ {
			d := m.deps[k]
			m.ins[k] = m.steps[d].lane
			if last[d] == int32(i) {
				free = append(free, m.steps[d].lane)
			}
		}
		if last[i] < 0 {
			s.sink = true
			free = append(free, s.lane)
		}
	}
}
