// Package enrollmenttest holds synthetic va.gov 10-10EZ forms for tests, in the shape the
// va.gov front end posts them (testdata/*.json). Their values stand in for PII: tests check
// that none of PIIValues leaks anywhere. wire.go records what a client sends to the fake ES
// and reads it back as plain XML elements.
package enrollmenttest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/hcaops/hcaops/enrollment"
)

//go:embed testdata/*.json
var forms embed.FS

// The forms in testdata: four valid ones and one that fails validation on several fields.
const (
	Minimal = "minimal" // an unmarried Veteran, required fields only (and an email)
	Married = "married" // married, two dependents, income and expenses disclosed, Medicare, toxic exposure
	Insured = "insured" // three insurance providers, Medicaid
	Foreign = "foreign" // a mailing address in Germany, a home address in Canada
	Invalid = "invalid" // fails validation on several fields at once (see InvalidProblems)
)

// ValidForms names the forms that pass validation.
var ValidForms = []string{Minimal, Married, Insured, Foreign}

// InvalidProblems are the problems of the Invalid form, written down from the form itself
// (not from the validator): the field paths that are wrong in testdata/invalid.json.
var InvalidProblems = []string{
	"veteranFullName.last",
	"veteranSocialSecurityNumber",
	"gender",
	"veteranDateOfBirth",
	"vaMedicalFacility",
	"veteranAddress.postalCode",
	"email",
	"homePhone",
	"dependents[0].dependentRelation",
	"providers[0]",
}

// PIIValues are personal values of the forms; none may appear outside the form (logs,
// errors, search attributes, tickets, IDs).
var PIIValues = []string{
	"Zebulon", "231549876", "1961-07-04", "77 Sample Rd", "qz.veteran@example.com",
	"Vellacott", "301554820", "Rosalind", "301559911", "Tobias", "301557734", "1420 Larkspur Ln", "9375550142",
	"Okonkwo-Hale", "412660953", "CMH-4471920", "2535550168",
	"Brightwater", "520771346", "Lindwurmstrasse 88", "a.brightwater@example.org",
	"Wendell", "23154-987", "18 Tannery Row",
}

// Form returns the named form, decoded strictly (an unknown field is a broken fixture).
func Form(name string) enrollment.Form {
	raw, err := forms.ReadFile("testdata/" + name + ".json")
	if err != nil {
		panic(fmt.Sprintf("enrollmenttest: no form %q: %v", name, err))
	}
	var f enrollment.Form
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		panic(fmt.Sprintf("enrollmenttest: form %q: %v", name, err))
	}
	return f
}

// JSON returns the named form as the front end posts it.
func JSON(name string) []byte {
	raw, err := forms.ReadFile("testdata/" + name + ".json")
	if err != nil {
		panic(fmt.Sprintf("enrollmenttest: no form %q: %v", name, err))
	}
	return raw
}

// Named is an application with the named form and the given application ID.
func Named(name, id string) enrollment.Application {
	return enrollment.Application{ApplicationID: id, Form: Form(name)}
}

// Application is the minimal valid application with the given application ID.
func Application(id string) enrollment.Application { return Named(Minimal, id) }
