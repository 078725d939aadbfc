package timeline

import (
	"bufio"
	"os"
	"strconv"
	"time"
)

// WriteSyntheticJournal writes to path a valid unkeyed journal of n entries
// in constant memory: steps of four entries (start, two notes, end) with
// impacts in turn, one second apart. Tests and benchmarks use it.
func WriteSyntheticJournal(path string, n int) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	c := newChain(nil)
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.FixedZone("", 3600))
	impacts := []Impact{NoImpact, Disruption, Outage}
	var buf []byte
	for i := range n {
		step := "step-" + strconv.Itoa(i/4)
		e := Entry{Seq: uint64(i) + 1, At: t0.Add(time.Duration(i) * time.Second), Actor: "ops"}
		switch i % 4 {
		case 0:
			e.Kind, e.Step, e.Impact = KindStart, step, impacts[(i/4)%3]
		case 1:
			e.Kind, e.Text = KindNote, "progress on "+step
		case 2:
			e.Kind, e.Actor, e.Text = "deploy.check", "qa", "checked"
		default:
			e.Kind, e.Step = KindEnd, step
		}
		if i == n-1 && e.Kind == KindStart {
			e.Kind, e.Step, e.Impact, e.Text = KindNote, "", NoImpact, "last"
		}
		e.Hash = c.next(&e)
		c.advance()
		if buf, err = appendLine(buf[:0], &e); err != nil {
			f.Close()
			return err
		}
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
