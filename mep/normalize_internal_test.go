package mep

import (
	"bytes"
	"encoding/json"
	"reflect"
	"time"
)

type bytesBuffer = bytes.Buffer

// normalize returns v as JSON with every time in UTC, so that values that
// differ only by the location of their times compare equal.
func normalize(v any) string {
	b, err := json.Marshal(utcTimes(reflect.ValueOf(v)).Interface())
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// utcTimes returns a copy of v, exported fields only, times in UTC.
func utcTimes(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		return utcTimes(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		return utcTimes(v.Elem())
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			return reflect.ValueOf(t.UTC())
		}
		m := map[string]any{}
		exportedFields(m, v)
		return reflect.ValueOf(m)
	case reflect.Slice:
		if v.IsNil() || v.Len() == 0 {
			return reflect.ValueOf([]any(nil))
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = utcTimes(v.Index(i)).Interface()
		}
		return reflect.ValueOf(out)
	case reflect.Map:
		if v.Len() == 0 {
			return reflect.ValueOf(map[string]any(nil))
		}
		m := map[string]any{}
		for _, k := range v.MapKeys() {
			m[normalize(k.Interface())] = utcTimes(v.MapIndex(k)).Interface()
		}
		return reflect.ValueOf(m)
	}
	return v
}

// exportedFields adds the exported fields of the struct v to m, those of
// embedded structs (of exported or unexported types) as v's own, as Go
// promotes them.
func exportedFields(m map[string]any, v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		switch {
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			exportedFields(m, v.Field(i))
		case f.IsExported():
			m[f.Name] = utcTimes(v.Field(i)).Interface()
		}
	}
}
