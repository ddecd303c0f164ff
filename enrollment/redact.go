package enrollment

import (
	"fmt"
	"io"
	"log/slog"
)

// Application and the form carry PII, so every way the standard library prints or logs a
// value is answered with a redacted form: Format for every fmt verb (fmt asks a Formatter
// before String or GoString, so %v, %+v, %#v, %d and %x all print String), String for
// callers that want the text, and LogValue for slog (whose JSON handler would otherwise
// marshal the fields). encoding/json and encoding/xml are unaffected: the codec and ES
// need the values.

// String returns "Application{id=<ApplicationID>}".
func (a Application) String() string { return "Application{id=" + a.ApplicationID + "}" }

// Format prints String for every verb.
func (a Application) Format(f fmt.State, _ rune) { redact(f, a) }

// LogValue logs only the ApplicationID.
func (a Application) LogValue() slog.Value { return slog.StringValue(a.ApplicationID) }

func redact(f fmt.State, v fmt.Stringer) { _, _ = io.WriteString(f, v.String()) }

func (Form) String() string               { return "Form{redacted}" }
func (v Form) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Form) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (VeteranIdentifier) String() string               { return "VeteranIdentifier{redacted}" }
func (v VeteranIdentifier) Format(f fmt.State, _ rune) { redact(f, v) }
func (v VeteranIdentifier) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (FullName) String() string               { return "FullName{redacted}" }
func (v FullName) Format(f fmt.State, _ rune) { redact(f, v) }
func (v FullName) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Address) String() string               { return "Address{redacted}" }
func (v Address) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Address) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Dependent) String() string               { return "Dependent{redacted}" }
func (v Dependent) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Dependent) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Provider) String() string               { return "Provider{redacted}" }
func (v Provider) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Provider) LogValue() slog.Value       { return slog.StringValue(v.String()) }

func (Attachment) String() string               { return "Attachment{redacted}" }
func (v Attachment) Format(f fmt.State, _ rune) { redact(f, v) }
func (v Attachment) LogValue() slog.Value       { return slog.StringValue(v.String()) }
