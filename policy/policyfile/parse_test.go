package policyfile_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

var paris, _ = time.LoadLocation("Europe/Paris")

func at(y, m, d, h, min int) time.Time { return time.Date(y, time.Month(m), d, h, min, 0, 0, paris) }

func names(set policy.Set) []string {
	var out []string
	for _, p := range set {
		out = append(out, p.Name())
	}
	return out
}

func TestParseStandardYAML(t *testing.T) {
	data, err := os.ReadFile("testdata/standard.yaml")
	require.NoError(t, err)
	set, err := policyfile.Parse(data)
	require.NoError(t, err)
	assert.Equal(t, []string{"friday-freeze", "weekend-freeze", "holidays-FR", "year-end", "maintenance", "month-end",
		"readiness", "require-go:operations", "max-outage"}, names(set))
	assert.True(t, policy.IsMandatory(set[7]))
	ctx := context.Background()

	// Good Friday and 26 December come from the extra days.
	for _, day := range []time.Time{at(2027, 3, 26, 21, 0), at(2027, 12, 26, 21, 0), at(2027, 5, 7, 21, 0)} {
		r := set.Evaluate(ctx, policy.Change{Start: day, Duration: time.Hour})
		assert.Equal(t, policy.Deny, r.Decisions[2].Verdict, "%v: %s", day, r.Decisions[2].Reason)
	}
	next, err := set.NextSlot(ctx, policy.Change{Start: at(2026, 12, 17, 23, 0), Duration: time.Hour, ReadyAt: at(2026, 12, 1, 0, 0)}, 60*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, at(2027, 1, 4, 20, 0).Equal(next), "got %v", next)
}

func TestParseStandardJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/standard.json")
	require.NoError(t, err)
	set, err := policyfile.Parse(data)
	require.NoError(t, err)
	assert.Equal(t, []string{"friday-freeze", "weekend-freeze", "holidays-FR", "year-end", "maintenance", "readiness", "require-go:operations"}, names(set))
	r := set.Evaluate(context.Background(), policy.Change{Start: at(2026, 12, 17, 23, 30), Duration: time.Hour})
	assert.Equal(t, policy.Deny, r.Decisions[3].Verdict, "the freeze starts on the 18th, 00:00 Paris")
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		line  int
		field string
		cause any // nil, a sentinel for errors.Is, or a **T for errors.As
		msg   string
	}{
		{"syntax", "zone: [\npolicies: 1", 2, "", policyfile.ErrSyntax, ""},
		{"empty", "", 0, "", nil, "empty file"},
		{"only a document marker", "---", 0, "", nil, "empty document"},
		{"a value missing at the end", "zone: UTC\npolicies:\n  - kind: require-go\n    role:", 4, "policies[0].role", nil, "the role is empty"},
		{"unknown top field", "zone: UTC\npolicy: []\n", 2, "policy", nil, `"policy" is not one of zone, policies`},
		{"unknown kind", "zone: UTC\npolicies:\n  - kind: saturday-freeze\n", 3, "policies[0].kind", nil, "saturday-freeze"},
		{"missing kind", "zone: UTC\npolicies:\n  - name: x\n", 3, "policies[0].kind", nil, "missing"},
		{"unknown field for the kind", "zone: UTC\npolicies:\n  - kind: friday-freeze\n    country: FR\n", 4, "policies[0].country", nil, "unknown field"},
		{"duplicate field", "zone: UTC\npolicies:\n  - kind: windows\n    spec: 20:00-21:00\n    spec: 21:00-22:00\n", 5, "policies[0].spec", nil, "twice"},
		{"unknown zone", "zone: Europe/Pariss\npolicies: []\n", 1, "zone", nil, "Europe/Pariss"},
		{"Local zone", "zone: Local\npolicies: []\n", 1, "zone", nil, "time zone"},
		{"no zone", "policies:\n  - kind: friday-freeze\n", 2, "policies[0].zone", nil, "time zone"},
		{"cron never fires", "zone: UTC\npolicies:\n  - kind: cron\n    cron: 0 0 30 2 *\n    duration: 1h\n", 4, "policies[0].cron", new(*policy.CronError), "never fires"},
		{"cron hour 24", "zone: UTC\npolicies:\n  - kind: cron\n    cron: 0 24 * * *\n    duration: 1h\n", 4, "policies[0].cron", new(*policy.CronError), ""},
		{"cron zero duration", "zone: UTC\npolicies:\n  - kind: cron\n    cron: 0 2 * * *\n    duration: 0s\n", 5, "policies[0].duration", nil, "at most 366 days"},
		{"cron duration over a year", "zone: UTC\npolicies:\n  - kind: cron\n    duration: 8800h\n    cron: 0 2 * * *\n", 4, "policies[0].duration", nil, "at most 366 days"},
		{"cron every minute for a minute", "zone: UTC\npolicies:\n  - kind: cron\n    cron: \"* * * * *\"\n    duration: 1m\n", 5, "policies[0].duration", nil, "blocks every instant"},
		{"cron daily for a day", "zone: Europe/Paris\npolicies:\n  - kind: cron\n    cron: 0 0 * * *\n    duration: 24h\n", 5, "policies[0].duration", nil, "blocks every instant"},
		{"windows all day every day", "zone: UTC\npolicies:\n  - kind: windows\n    spec: 00:00-24:00\n", 4, "policies[0].spec", nil, "blocks nothing"},
		{"windows all week", "zone: Europe/Paris\npolicies:\n  - kind: windows\n    spec: Mon-Sun 00:00-24:00\n", 4, "policies[0].spec", nil, "blocks nothing"},
		{"no policies", "zone: UTC\npolicies: []\n", 2, "policies", nil, "allows everything"},
		{"json no policies", "{\n  \"zone\": \"UTC\",\n  \"policies\": []\n}", 3, "policies", nil, "the list is empty"},
		{"second document", "zone: UTC\npolicies:\n  - kind: friday-freeze\n---\nzone: UTC\n", 4, "", policyfile.ErrSyntax, "second document"},
		{"second document, broken", "zone: UTC\npolicies:\n  - kind: friday-freeze\n---\nzone: [\n", 5, "", policyfile.ErrSyntax, ""},
		{"json tab in a string", "{\n  \"zone\": \"UTC\",\n  \"policies\": [{\"kind\": \"require-go\", \"role\": \"ops\tteam\"}]\n}", 3, "", policyfile.ErrSyntax, "in string literal"},
		{"json trailing comma", "{\n  \"zone\": \"UTC\",\n  \"policies\": [],\n}", 4, "", policyfile.ErrSyntax, ""},
		{"yes is not a boolean", "zone: UTC\npolicies:\n  - kind: friday-freeze\n    mandatory: yes\n", 4, "policies[0].mandatory", nil, "true or false"},
		{"on is not a boolean", "zone: UTC\npolicies:\n  - kind: holidays\n    country: FR\n    eve: on\n", 5, "policies[0].eve", nil, "true or false"},
		{"blank role", "zone: UTC\npolicies:\n  - kind: require-go\n    role: \" \"\n", 4, "policies[0].role", nil, "empty"},
		{"cron without duration", "zone: UTC\npolicies:\n  - kind: cron\n    cron: 0 2 * * *\n", 3, "policies[0].duration", nil, "missing"},
		{"bad spec", "zone: UTC\npolicies:\n  - kind: windows\n    spec: Mon-Thu 20:00-23:70\n", 4, "policies[0].spec", new(*policy.SpecError), "column 15"},
		{"bad duration", "policies:\n  - kind: readiness\n    lead: an hour\n", 3, "policies[0].lead", nil, ""},
		{"bad country", "zone: UTC\npolicies:\n  - kind: holidays\n    country: XX\n", 4, "policies[0].country", policy.ErrCountry, ""},
		{"bad extra day", "zone: UTC\npolicies:\n  - kind: holidays\n    extra:\n      - {date: 02-30}\n", 5, "policies[0].extra[0].date", nil, ""},
		{"freeze ends first", "zone: UTC\npolicies:\n  - kind: freeze\n    from: 2027-01-04\n    to: 2026-12-18\n", 5, "policies[0].to", nil, ""},
		{"freeze bad time", "zone: UTC\npolicies:\n  - kind: freeze\n    from: tomorrow\n    to: 2026-12-18\n", 4, "policies[0].from", nil, ""},
		{"policies not a list", "zone: UTC\npolicies: 3\n", 2, "policies", nil, ""},
		{"quantile zero", "zone: UTC\npolicies:\n  - kind: windows\n    spec: 20:00-23:00\n  - kind: fit\n    quantile: p0\n", 6, "policies[1].quantile", nil, "not a quantile"},
		{"quantile over one", "zone: UTC\npolicies:\n  - kind: fit\n    quantile: 1.5\n", 4, "policies[0].quantile", nil, "at most 1"},
		{"quantile not a number", "zone: UTC\npolicies:\n  - kind: fit\n    quantile: ninety\n", 4, "policies[0].quantile", nil, "p90, p95"},
		{"announce without lead", "zone: UTC\npolicies:\n  - kind: announce\n", 3, "policies[0].lead", nil, "missing"},
		{"announce of no lead", "zone: UTC\npolicies:\n  - kind: announce\n    lead: 0s\n", 4, "policies[0].lead", nil, "announces nothing"},
		{"conflicts exclusive not a list", "zone: UTC\npolicies:\n  - kind: conflicts\n    exclusive: prod\n", 4, "policies[0].exclusive", nil, "list of environments"},
		{"conflicts empty environment", "zone: UTC\npolicies:\n  - kind: conflicts\n    exclusive: [prod, \" \"]\n", 4, "policies[0].exclusive[1]", nil, "empty"},
		{"conflicts environment with spaces", "zone: UTC\npolicies:\n  - kind: conflicts\n    exclusive: [\" prod \"]\n", 4, "policies[0].exclusive[0]", nil, "spaces around it"},
		{"conflicts unknown environment", "zone: UTC\nenvironments: [prod]\npolicies:\n  - kind: conflicts\n    exclusive: [staging]\n", 5, "policies[0].exclusive[0]", nil, "not one of the environments"},
		{"conflicts warn not a boolean", "zone: UTC\npolicies:\n  - kind: conflicts\n    warn: yes\n", 4, "policies[0].warn", nil, "true or false"},
		{"json unknown field", "{\n  \"zone\": \"UTC\",\n  \"policies\": [\n    {\"kind\": \"max-outage\", \"limit\": \"1h\", \"limits\": 2}\n  ]\n}", 4, "policies[0].limits", nil, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyfile.Parse([]byte(tt.file))
			require.Error(t, err)
			var pe *policyfile.Error
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tt.line, pe.Line, err.Error())
			assert.Equal(t, tt.field, pe.Field, err.Error())
			switch c := tt.cause.(type) {
			case error:
				assert.ErrorIs(t, err, c)
			case **policy.CronError:
				assert.ErrorAs(t, err, c)
			case **policy.SpecError:
				assert.ErrorAs(t, err, c)
			}
			var list *policyfile.ListError
			assert.ErrorAs(t, err, &list, "every file problem comes in a ListError")
			assert.Contains(t, err.Error(), tt.msg)
			assert.Regexp(t, `^policyfile: `, err.Error())
		})
	}
}

func TestParseJSONEscapes(t *testing.T) {
	f, err := policyfile.ParseWith([]byte(`{"zone": "Europe\/Paris", "policies": [
	{"kind": "friday-freeze", "name": "no-friday \ud83d\ude00"},
	{"kind": "require-go", "role": " ops\/night "}]}`), nil)
	require.NoError(t, err)
	assert.Equal(t, "Europe/Paris", f.Zone.String())
	assert.Equal(t, []string{"no-friday \U0001F600", "require-go:ops/night"}, names(f.Set))
}

func TestParseErrorText(t *testing.T) {
	_, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: friday-freeze\n    country: FR\n"))
	assert.EqualError(t, err, `policyfile: line 4: policies[0].country: unknown field: "country" is not one of kind, name, zone, mandatory, scope`)
}

func TestParseNamesAndZones(t *testing.T) {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: friday-freeze
    name: no-friday-ny
    zone: America/New_York
    mandatory: true
`))
	require.NoError(t, err)
	require.Len(t, set, 1)
	assert.Equal(t, "no-friday-ny", set[0].Name())
	assert.True(t, policy.IsMandatory(set[0]))
	// Friday 02:00 in Paris is still Thursday in New York.
	d := set[0].Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 27, 2, 0), Duration: time.Hour})
	assert.Equal(t, policy.Allow, d.Verdict)
}

func TestDecodeZone(t *testing.T) {
	f, err := policyfile.ParseWith([]byte("zone: Asia/Kolkata\npolicies:\n  - kind: friday-freeze\n"), nil)
	require.NoError(t, err)
	require.NotNil(t, f.Zone)
	assert.Equal(t, "Asia/Kolkata", f.Zone.String())
	assert.Len(t, f.Set, 1)

	f, err = policyfile.ParseWith([]byte("policies:\n  - kind: max-outage\n    limit: 30m\n"), nil)
	require.NoError(t, err)
	assert.Nil(t, f.Zone, "no zone named")
}

// A JSON file cut short or broken says where, line and column, and which
// bracket is left open, not a bare "unexpected EOF".
func TestParseJSONSyntaxErrorsNameLineAndColumn(t *testing.T) {
	for _, tt := range []struct {
		name, file, want string
	}{
		{"cut short", "{\"zone\": \"UTC\",\n \"policies\": [{\"kind\": \"friday-freeze\"}",
			"policyfile: line 2, column 40: syntax error: unexpected end of JSON input: the array opened at line 2, column 14 is not closed"},
		{"trailing comma", "{\n \"zone\": \"UTC\",\n \"policies\": [\n  {\"kind\": \"friday-freeze\",}\n ]\n}",
			"policyfile: line 4, column 28: syntax error: invalid character '}' looking for beginning of object key string"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyfile.Parse([]byte(tt.file))
			require.ErrorIs(t, err, policyfile.ErrSyntax)
			assert.EqualError(t, err, tt.want)
		})
	}
}
