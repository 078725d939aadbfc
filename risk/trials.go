package risk

import (
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The trials. They are drawn in blocks of lanes side by side: for each
// step in turn, the same work for every trial of the block, in loops
// that the processor runs without a branch to guess (the step's timings
// and factors stay in its first-level cache), rather than each trial's
// steps in turn.

// lanes is the number of trials of a block, even: a lane of a block keeps
// one value per trial, 1 KiB.
const lanes = 128

// rng is wyrand: a 64-bit state stepped by a constant and mixed by one
// 128-bit multiplication. It passes the usual statistical batteries and
// keeps its state in a register, so that a draw costs a few cycles.
type rng uint64

// next returns the generator one step on, and its draw. It takes and
// returns the state by value: a generator whose address were taken would
// be kept in memory, and each draw would wait for the previous one's
// store.
func (r rng) next() (rng, uint64) {
	r += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(r), uint64(r)^0xe7037ed1a0b428db)
	return r, hi ^ lo
}

// lane holds one value per trial of a block.
type lane = [lanes]float64

// outages holds the outage steps' intervals of each trial of a block,
// in nanoseconds from the trial's start: trial l's in iv[l*n:(l+1)*n],
// the steps in the order they start when each takes its mean timing
// (slot). The user outage of a trial is their union.
type outages struct {
	n  int // the number of outage steps
	iv []interval
}

// length returns the outage of trial l: its intervals are merged in
// order, without a branch to guess. An interval that starts before the
// merged interval that the previous ones end with marks the trial, whose
// union is then computed again by sorting its intervals.
func (o *outages) length(l int) int64 {
	iv := o.iv[l*o.n : (l+1)*o.n]
	var from, to, covered, low int64
	for _, v := range iv {
		a, b := v.from, v.to
		covered += max(0, b-max(a, to))
		if a > to {
			from = a // a new merged interval
		}
		low = min(low, a-from)
		to = max(to, b)
	}
	if low >= 0 {
		return covered
	}
	return union(iv)
}

// run draws trials cutovers and returns their durations and outages,
// sorted. Each step of each trial takes 32 random bits: the low 24 pick
// a timing, the next 6 a factor. The blocks of trials are drawn on
// every processor, each taking the next block when it is free (a
// processor that other programs hold back draws fewer), each block from
// a stream of its own, seeded by seed and its number, and written in
// its place: the figures do not depend on how many processors drew them
// nor on which drew a block.
func (m *model) run(trials int, seed uint64) (dur, out []time.Duration) {
	dur, out = make([]time.Duration, trials), make([]time.Duration, trials)
	blocks := (trials + lanes - 1) / lanes
	workers := 1
	if len(m.steps)*trials >= minParallel {
		workers = min(runtime.GOMAXPROCS(0), blocks, maxWorkers)
	}
	var next atomic.Int64 // the next block to draw
	work := func() {
		b := getBlock(m)
		for i := int(next.Add(1) - 1); i < blocks; i = int(next.Add(1) - 1) {
			t := i * lanes
			b.draw(m, blockRNG(seed, i))
			b.collect(m, dur[t:min(t+lanes, trials)], out[t:min(t+lanes, trials)])
		}
		blockPool.Put(b)
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	switch {
	case m.outages == 0: // no outage: all zeros, sorted
		dur = radixSort(dur)
	case workers > 1:
		wg.Go(func() { out = radixSort(out) })
		dur = radixSort(dur)
		wg.Wait()
	default:
		dur, out = radixSort(dur), radixSort(out)
	}
	return dur, out
}

// Bounds of the work shared between processors: a simulation of fewer
// step-trials is drawn on one, and at most maxWorkers draw one.
const (
	minParallel = 1 << 18
	maxWorkers  = 8
)

// blockRNG returns the generator of block i: its first state is mixed
// from the seed and i, so that the blocks draw from far-apart places of
// the sequence, not from one another's.
func blockRNG(seed uint64, i int) rng {
	return rng(mix(seed ^ 0x6d65706b6974 + uint64(i+1)*0xd1b54a32d192ed03)) // "mepkit"
}

// mix is splitmix64's mixing function.
func mix(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// block is one processor's room to draw a block of trials.
type block struct {
	end   []lane // the steps' ends: step s's in end[s.lane] (see model.place)
	last  lane   // the latest end of the sinks drawn so far
	zeros lane
	ou    outages
}

// blockPool keeps the blocks of earlier simulations: a block is laid
// anew for each model, and everything it holds is written before it is
// read.
var blockPool sync.Pool

// getBlock returns a block for m, from blockPool if it has one.
func getBlock(m *model) *block {
	b, _ := blockPool.Get().(*block)
	if b == nil {
		b = new(block)
	}
	b.end = slices.Grow(b.end[:0], m.lanes)[:m.lanes]
	b.ou.n = m.outages
	b.ou.iv = slices.Grow(b.ou.iv[:0], m.outages*lanes)[:m.outages*lanes]
	return b
}

// draw draws the block's trials, each step in turn.
func (b *block) draw(m *model, r rng) {
	clear(b.last[:])
	for i := range m.steps {
		s := &m.steps[i]
		e := &b.end[s.lane]
		src := m.ready(s, e, b.end, &b.zeros)
		if s.outage >= 0 {
			r = m.drawOutage(s, src, e, b.ou.iv[s.outage:], m.outages, r)
		} else {
			r = m.draw(s, src, e, r)
		}
		if s.sink {
			for l, v := range e {
				b.last[l] = later(b.last[l], v)
			}
		}
	}
}

// collect writes the duration and outage of the block's first len(dur)
// trials.
func (b *block) collect(m *model, dur, out []time.Duration) {
	for l := range dur {
		dur[l] = nanos(b.last[l])
		if m.outages > 0 {
			out[l] = time.Duration(b.ou.length(l))
		}
	}
}

// ready returns when step s may start in each trial: the latest end of
// the steps it waits for. For a step that waits for several, it writes
// it in e, which is none of their lanes.
func (m *model) ready(s *simStep, e *lane, end []lane, zeros *lane) *lane {
	switch ins := m.ins[s.depLo:s.depHi]; len(ins) {
	case 0:
		return zeros
	case 1:
		return &end[ins[0]]
	default:
		a, b := &end[ins[0]], &end[ins[1]]
		for l := 0; l < lanes; l += 2 {
			e[l], e[l+1] = later(a[l], b[l]), later(a[l+1], b[l+1])
		}
		for _, d := range ins[2:] {
			a := &end[d]
			for l := 0; l < lanes; l += 2 {
				e[l], e[l+1] = later(e[l], a[l]), later(e[l+1], a[l+1])
			}
		}
		return e
	}
}

// draw sets e, the end of step s in each trial, to its start (src) plus
// its drawn timing. The conversions forbid fused multiply-adds: the same
// figures on every processor.
func (m *model) draw(s *simStep, src, e *lane, r rng) rng {
	cost := m.cost[s.obs : s.obs+s.nObs]
	switch {
	case s.fac < 0 && len(cost) == 1:
		c := cost[0]
		for l, v := range src {
			e[l] = v + c
		}
	case s.fac < 0:
		n := uint64(len(cost))
		for l := 0; l < lanes; l += 2 {
			var x uint64
			r, x = r.next()
			e[l] = src[l] + cost[(x&0xffffff)*n>>24]
			e[l+1] = src[l+1] + cost[(x>>32&0xffffff)*n>>24]
		}
	default:
		n, f := uint64(len(cost)), (*[nFactors]float64)(m.facs[s.fac:])
		for l := 0; l < lanes; l += 4 {
			var x, y uint64
			r, x = r.next()
			r, y = r.next()
			e[l] = src[l] + float64(cost[(x&0xffffff)*n>>24]*f[x>>24&63])
			e[l+1] = src[l+1] + float64(cost[(x>>32&0xffffff)*n>>24]*f[x>>56&63])
			e[l+2] = src[l+2] + float64(cost[(y&0xffffff)*n>>24]*f[y>>24&63])
			e[l+3] = src[l+3] + float64(cost[(y>>32&0xffffff)*n>>24]*f[y>>56&63])
		}
	}
	return r
}

// drawOutage is draw for an outage step: it also keeps the step's
// outage, from its start (after its hand-over) to its end, in iv: trial
// l's in iv[l*stride].
func (m *model) drawOutage(s *simStep, src, e *lane, iv []interval, stride int, r rng) rng {
	cost, lead := m.cost[s.obs:s.obs+s.nObs], m.lead[s.obs:s.obs+s.nObs]
	n := uint64(len(cost))
	f := &unitFactors
	if s.fac >= 0 {
		f = (*[nFactors]float64)(m.facs[s.fac:])
	}
	for l := 0; l < lanes; l += 2 {
		var x uint64
		r, x = r.next()
		k0, f0 := (x&0xffffff)*n>>24, f[x>>24&63]
		k1, f1 := (x>>32&0xffffff)*n>>24, f[x>>56&63]
		r0, r1 := src[l], src[l+1]
		e0, e1 := r0+float64(cost[k0]*f0), r1+float64(cost[k1]*f1)
		e[l], e[l+1] = e0, e1
		iv[l*stride] = interval{ns(r0 + float64(lead[k0]*f0)), ns(e0)}
		iv[(l+1)*stride] = interval{ns(r1 + float64(lead[k1]*f1)), ns(e1)}
	}
	return r
}

// later returns the later of two instants of a trial, which are never
// negative nor NaN: as such, their bits compare as integers do, and the
// comparison needs no branch to guess.
func later(a, b float64) float64 {
	return math.Float64frombits(max(math.Float64bits(a), math.Float64bits(b)))
}

// ns returns x nanoseconds, x >= 0, at most 2^62: an outage is capped at
// 146 years, and a sum of them never overflows.
func ns(x float64) int64 {
	if x >= 0x1p62 {
		return 1 << 62
	}
	return int64(x)
}

// unitFactors are the factors of a step without spread.
var unitFactors = func() (f [nFactors]float64) {
	for j := range f {
		f[j] = 1
	}
	return f
}()

// radixSort sorts durations that are never negative, 11 bits at a time,
// skipping the digits they all share: a few passes over them instead of
// a comparison sort's many. It sorts d in place, and returns it.
func radixSort(d []time.Duration) []time.Duration {
	if len(d) < 2 {
		return d
	}
	var and, or uint64 = math.MaxUint64, 0
	for _, v := range d {
		and, or = and&uint64(v), or|uint64(v)
	}
	var buf, in []time.Duration // in: d as given
	for shift := 0; shift < 64; shift += 11 {
		if (and^or)>>shift&(1<<11-1) == 0 {
			continue // one digit for all: nothing to move
		}
		if buf == nil {
			in = d
			if p, _ := sortPool.Get().(*[]time.Duration); p != nil && cap(*p) >= len(d) {
				buf = (*p)[:len(d)]
			} else {
				buf = make([]time.Duration, len(d))
			}
		}
		var count [1 << 11]int
		for _, v := range d {
			count[uint64(v)>>shift&(1<<11-1)]++
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
	if in == nil {
		return d
	}
	if &d[0] != &in[0] { // an odd number of passes
		copy(in, d)
		d, buf = in, d
	}
	sortPool.Put(&buf)
	return d
}

// sortPool keeps the room that radixSort moves values in: d's own room
// holds the sorted values.
var sortPool sync.Pool

// interval is a step's outage in a trial, in nanoseconds from the start.
type interval struct{ from, to int64 }

// union returns the length of the union of iv, which it sorts by start:
// an insertion sort, quick on intervals nearly sorted.
func union(iv []interval) int64 {
	for i := 1; i < len(iv); i++ {
		for j := i; j > 0 && iv[j].from < iv[j-1].from; j-- {
			iv[j], iv[j-1] = iv[j-1], iv[j]
		}
	}
	var total, from, to int64
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
