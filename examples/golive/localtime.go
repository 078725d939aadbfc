package main

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"
)

// zone loads the scenario's zone. "Local" is refused: it is the zone of
// the machine, and the output must be the same on every machine.
func (s *scenario) zone() (*time.Location, error) {
	switch s.Zone {
	case "":
		return nil, errors.New("scenario: zone: missing (an IANA zone such as Europe/Paris)")
	case "Local":
		return nil, errors.New(`scenario: zone: "Local" is the zone of the machine that runs it: name an IANA zone such as Europe/Paris, or UTC`)
	}
	loc, err := time.LoadLocation(s.Zone)
	if err != nil {
		return nil, fmt.Errorf("scenario: zone: %w", err)
	}
	return loc, nil
}

// checkTimes checks every time of the scenario against its zone: a wall
// clock that the zone skips (the clocks go forward) or passes twice (they
// go back) is not one instant, and the scenario cannot say which it means.
// Of several such times, the error names the first in the file.
func (s *scenario) checkTimes() error {
	var first *localTime
	eachTime(reflect.ValueOf(s).Elem(), func(l localTime) {
		if l.text != "" && l.ambiguity(s.loc) != "" && (first == nil || l.line < first.line) {
			first = &l
		}
	})
	if first == nil {
		return nil
	}
	return fmt.Errorf("scenario: line %d: %q %s in %s: pick another minute", first.line, first.text, first.ambiguity(s.loc), s.loc)
}

// ambiguity says why l is not one instant in loc, or "" when it is.
func (l localTime) ambiguity(loc *time.Location) string {
	t := l.in(loc)
	if t.Format(localLayout) != l.text {
		return "does not exist (the clocks go forward)"
	}
	_, before := t.Add(-12 * time.Hour).Zone()
	_, after := t.Add(12 * time.Hour).Zone()
	if before == after {
		return ""
	}
	d := time.Duration(before-after) * time.Second
	for _, u := range []time.Time{t.Add(d), t.Add(-d)} {
		if !u.Equal(t) && u.In(loc).Format(localLayout) == l.text {
			return "comes twice (the clocks go back)"
		}
	}
	return ""
}

// localLayout is how a scenario writes its times.
const localLayout = "2006-01-02 15:04"

var localTimeType = reflect.TypeFor[localTime]()

// eachTime calls f with every localTime in v, in the scenario's exported
// fields, slices and maps.
func eachTime(v reflect.Value, f func(localTime)) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == localTimeType {
			f(v.Interface().(localTime))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachTime(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			eachTime(v.Index(i), f)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			eachTime(it.Value(), f)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			eachTime(v.Elem(), f)
		}
	}
}

// goType is how the YAML decoder names a Go type in its errors: "in
// type main.scenario" tells the author of a scenario nothing.
var goType = regexp.MustCompile(` in type [\w.\[\]*]+`)

// decodeError is a decoding error on one line: the first of the
// decoder's errors (the one with the lowest line), and how many more.
func decodeError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Errorf("scenario: %w", err)
	}
	msg := goType.ReplaceAllString(te.Errors[0], "")
	if n := len(te.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Errorf("scenario: %s", msg)
}
