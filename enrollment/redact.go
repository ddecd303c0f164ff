package enrollment

import (
	"fmt"
	"io"
	"log/slog"
)

// Application and its sections carry PII, so every way the standard library prints or
// logs a value is answered with a redacted form: String for %v and %s, GoString for %#v,
// Format for every other verb (%d, %x and %+v would otherwise dump the fields), and
// LogValue for slog (whose JSON handler would otherwise marshal the fields).
// encoding/json and encoding/xml are unaffected: the codec and ES need the values.

// String returns "Application{id=<ApplicationID>}".
func (a Application) String() string { return "Application{id=" + a.ApplicationID + "}" }

// GoString is String, so %#v does not dump the fields.
func (a Application) GoString() string { return a.String() }

// Format prints String for every verb.
func (a Application) Format(f fmt.State, _ rune) { redact(f, a) }

// LogValue logs only the ApplicationID.
func (a Application) LogValue() slog.Value { return slog.StringValue(a.ApplicationID) }

func redact(f fmt.State, v fmt.Stringer) { _, _ = io.WriteString(f, v.String()) }

func (VeteranIdentifier) String() string               { return "VeteranIdentifier{redacted}" }
func (v VeteranIdentifier) Format(f fmt.State, _ rune) { redact(f, v) }
func (v VeteranIdentifier) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (PersonInfo) String() string               { return "PersonInfo{redacted}" }
func (v PersonInfo) Format(f fmt.State, _ rune) { redact(f, v) }
func (v PersonInfo) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Demographics) String() string               { return "Demographics{redacted}" }
func (v Demographics) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Demographics) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Address) String() string               { return "Address{redacted}" }
func (v Address) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Address) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (MilitaryServiceInfo) String() string               { return "MilitaryServiceInfo{redacted}" }
func (v MilitaryServiceInfo) Format(f fmt.State, _ rune) { redact(f, v) }
func (v MilitaryServiceInfo) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (EnrollmentDeterminationInfo) String() string               { return "EnrollmentDeterminationInfo{redacted}" }
func (v EnrollmentDeterminationInfo) Format(f fmt.State, _ rune) { redact(f, v) }
func (v EnrollmentDeterminationInfo) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (FinancialsInfo) String() string               { return "FinancialsInfo{redacted}" }
func (v FinancialsInfo) Format(f fmt.State, _ rune) { redact(f, v) }
func (v FinancialsInfo) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Insurance) String() string               { return "Insurance{redacted}" }
func (v Insurance) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Insurance) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Association) String() string               { return "Association{redacted}" }
func (v Association) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Association) LogValue() slog.Value       { return slog.StringValue(v.String()) }
