package checklist

import (
	"slices"
	"strconv"
	"strings"
)

// Purpose says what an item is for, in the method's terms: the
// installation procedure that validation checks (rule R4), the hardware
// verified and the configuration backed up before the switch (R8), the
// probes, backup process and known recurring failures of operations
// readiness (R13). A go/no-go asks for purposes, not for words in IDs or
// titles: an item "uninstall-old-icons" is no installation procedure
// unless its Purpose says so.
//
// It is called Purpose, not Kind, because [Event.Kind] and the Kind*
// constants already name what a change to a run is.
//
// The zero value is [General]: an item with no meaning for the method.
type Purpose uint8

const (
	General          Purpose = iota // an item with no special meaning; written ""
	InstallProcedure                // R4: the installation procedure, written and followed; "install-procedure"
	HardwareVerified                // R8: old or new hardware verified against the checklist; "hardware-verified"
	ConfigBackup                    // R8: the impacted configurations backed up; "config-backup"
	Probes                          // R13: operational and technical probes in place; "probes"
	BackupProcess                   // R13: a backup process defined (and a restore tested); "backup-process"
	KnownFailures                   // R13: the known recurring failures documented; "known-failures"
)

// purposeNames are the text forms, by value; General's is "".
var purposeNames = [...]string{"", "install-procedure", "hardware-verified", "config-backup",
	"probes", "backup-process", "known-failures"}

// String returns the text form ("install-procedure", "config-backup",
// ...), "general" for [General], and Purpose(n) for an unknown value.
func (p Purpose) String() string {
	switch {
	case p == General:
		return "general"
	case int(p) < len(purposeNames):
		return purposeNames[p]
	}
	return "Purpose(" + strconv.Itoa(int(p)) + ")"
}

// valid reports whether p is one of the constants.
func (p Purpose) valid() bool { return int(p) < len(purposeNames) }

// MarshalText implements [encoding.TextMarshaler]: "" for [General], so
// that a file omits it, the text form otherwise. It fails for an unknown
// value, with an error wrapping [ErrInvalid].
func (p Purpose) MarshalText() ([]byte, error) {
	if !p.valid() {
		return nil, errPurpose(p)
	}
	return []byte(purposeNames[p]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler], as [ParsePurpose]
// reads.
func (p *Purpose) UnmarshalText(b []byte) error {
	v, err := ParsePurpose(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePurpose returns the purpose of the given text form, in any case:
// "" or "general" for [General], "install-procedure", "hardware-verified",
// "config-backup", "probes", "backup-process" or "known-failures". Any
// other text is an error wrapping [ErrInvalid] that names it.
func ParsePurpose(s string) (Purpose, error) {
	t := strings.ToLower(s)
	if t == "general" {
		return General, nil
	}
	for i, name := range purposeNames {
		if t == name {
			return Purpose(i), nil
		}
	}
	return 0, why(ErrInvalid, "invalid purpose: %q (want one of %s, or none)", s, strings.Join(purposeNames[1:], ", "))
}

func errPurpose(p Purpose) error { return why(ErrInvalid, "invalid purpose: %d", uint8(p)) }

// Missing returns, in the order asked, the purposes among those given that
// no item of the list has; nil when the list has them all. An optional
// item counts: the list has the purpose. Whether the items are done is
// the run's question ([Run.Coverage]).
func (l List) Missing(purposes ...Purpose) []Purpose {
	var out []Purpose
	for _, p := range purposes {
		if !slices.ContainsFunc(l.Items, func(it Item) bool { return it.Purpose == p }) {
			out = append(out, p)
		}
	}
	return out
}

// Coverage is how far a run meets one purpose: the items of the list that
// have it, and those of them that are not done. The zero value is the
// coverage of [General] by a list without items: not met.
type Coverage struct {
	Purpose Purpose  `json:"purpose"`
	Items   []string `json:"items,omitempty"` // IDs of the items with the purpose, in list order; none: the list lacks it
	// NotDone holds, in list order, where the items with the purpose that
	// are not done stand: pending, failed or waived.
	NotDone []Result `json:"not_done,omitempty"`
}

// Met reports whether the list has at least one item with the purpose and
// every such item is done. A waived item does not meet it, optional or
// not: a configuration backup waived is no backup (R8). Give a purpose
// only to items that must be done for the go-live.
func (c Coverage) Met() bool { return len(c.Items) > 0 && len(c.NotDone) == 0 }

// String says, for people, whether the purpose is met and if not why:
// `no config-backup item`, `config-backup done`, or `config-backup not
// done: "config-backup" waived (a waiver does not count)`.
func (c Coverage) String() string {
	switch {
	case len(c.Items) == 0:
		return "no " + c.Purpose.String() + " item"
	case len(c.NotDone) == 0:
		return c.Purpose.String() + " done"
	}
	var b strings.Builder
	b.WriteString(c.Purpose.String())
	b.WriteString(" not done: ")
	waived := false
	for i, res := range c.NotDone {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(res.Item.ID))
		b.WriteByte(' ')
		b.WriteString(res.Status.String())
		waived = waived || res.Status == Waived
	}
	if waived {
		b.WriteString(" (a waiver does not count)")
	}
	return b.String()
}

// itemsFor returns the indexes of the items of purpose p, in list order.
func (r *Run) itemsFor(p Purpose) []int {
	if p != General && p.valid() {
		if r.purposes == nil {
			return nil
		}
		return r.purposes[p]
	}
	var out []int
	for i := range r.list.Items {
		if r.list.Items[i].Purpose == p {
			out = append(out, i)
		}
	}
	return out
}

// Coverage returns, for each purpose asked and in that order, which items
// of the run's list have it and which of them are not done: what a
// go/no-go needs to say "R8: no config-backup item" or "R13: probes not
// done". See [Coverage.Met]: only done items meet a purpose.
func (r *Run) Coverage(purposes ...Purpose) []Coverage {
	if len(purposes) == 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Coverage, len(purposes))
	for k, p := range purposes {
		out[k].Purpose = p
		for _, i := range r.itemsFor(p) {
			it := &r.list.Items[i]
			out[k].Items = append(out[k].Items, it.ID)
			if r.items[i].status != Done {
				out[k].NotDone = append(out[k].NotDone, r.result(i))
			}
		}
	}
	return out
}
