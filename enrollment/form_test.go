package enrollment_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
)

func TestValidFixturesValidate(t *testing.T) {
	for _, name := range enrollmenttest.ValidForms {
		app := enrollmenttest.Named(name, testApplicationID)
		if err := app.Validate(testNow); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The invalid fixture fails on several fields at once, and every one is named.
func TestInvalidFixtureNamesEveryProblem(t *testing.T) {
	app := enrollmenttest.Named(enrollmenttest.Invalid, testApplicationID)
	err := app.Validate(testNow)
	if err == nil {
		t.Fatal("Validate accepted the invalid form")
	}
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		fe, ok := errors.AsType[*enrollment.FieldError](e)
		if !ok {
			t.Fatalf("%v is not a *FieldError", e)
		}
		fields = append(fields, fe.Field)
	}
	slices.Sort(fields)
	want := slices.Clone(enrollmenttest.InvalidProblems)
	slices.Sort(want)
	if !slices.Equal(fields, want) {
		t.Errorf("problems at\n %q\nwant\n %q", fields, want)
	}
	assertNoPII(t, "Validate error", err.Error())
}

func TestValidateRules(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	no := false
	tests := []struct {
		name   string
		form   string // fixture to start from
		change func(a *enrollment.Application)
		want   []string // every message expected, exactly, in order
	}{
		{"an empty form", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form = enrollment.Form{} }, []string{
			"privacyAgreementAccepted: required",
			"veteranFullName.first: required",
			"veteranFullName.last: required",
			"veteranSocialSecurityNumber: required",
			"gender: required",
			"veteranDateOfBirth: required",
			"vaMedicalFacility: required",
			"isSpanishHispanicLatino: required",
			"veteranAddress: required",
			"isMedicaidEligible: required",
		}},
		{"privacy agreement refused", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.PrivacyAgreementAccepted = &no },
			[]string{"privacyAgreementAccepted: must be true"}},
		{"application id", enrollmenttest.Minimal, func(a *enrollment.Application) { a.ApplicationID = "submission-17" },
			[]string{"applicationId: must be a UUID"}},
		{"no application id", enrollmenttest.Minimal, func(a *enrollment.Application) { a.ApplicationID = "" },
			[]string{"applicationId: required"}},
		{"veteran identifier", enrollmenttest.Minimal, func(a *enrollment.Application) { a.VeteranIdentifier = &enrollment.VeteranIdentifier{Type: 3} },
			[]string{"veteranIdentifier.type: must be 1 (ICN) or 2 (EDIPI)", "veteranIdentifier.value: required"}},
		{"ssn with dashes", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranSocialSecurityNumber = "231-54-9876" },
			[]string{"veteranSocialSecurityNumber: must be 9 digits"}},
		{"ssn area 000", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranSocialSecurityNumber = "000549876" },
			[]string{"veteranSocialSecurityNumber: area number (first 3 digits) must not be 000"}},
		{"ssn group 00", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranSocialSecurityNumber = "231009876" },
			[]string{"veteranSocialSecurityNumber: group number (digits 4-5) must not be 00"}},
		{"ssn serial 0000", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranSocialSecurityNumber = "231540000" },
			[]string{"veteranSocialSecurityNumber: serial number (last 4 digits) must not be 0000"}},
		{"ssn one digit", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranSocialSecurityNumber = "555555555" },
			[]string{"veteranSocialSecurityNumber: must not be one digit repeated"}},
		{"gender", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.Gender = "Female" },
			[]string{"gender: must be one of: F, M"}},
		{"date of birth not a date", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranDateOfBirth = "07/04/1961" },
			[]string{"veteranDateOfBirth: must be a date YYYY-MM-DD"}},
		{"date of birth in the future", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranDateOfBirth = "2026-03-03" },
			[]string{"veteranDateOfBirth: must not be in the future"}},
		{"date of birth typo", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranDateOfBirth = "0196-07-04" },
			[]string{"veteranDateOfBirth: must not be before 1900-01-01"}},
		{"first name too long", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranFullName.First = strings.Repeat("Q", 26) },
			[]string{"veteranFullName.first: must be at most 25 characters"}},
		{"last name of one letter", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranFullName.Last = "Z" },
			[]string{"veteranFullName.last: must be at least 2 characters"}},
		{"blank last name", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranFullName.Last = "   " },
			[]string{"veteranFullName.last: must not be blank"}},
		{"suffix", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranFullName.Suffix = "Esq." },
			[]string{"veteranFullName.suffix: must be one of: Jr., Sr., II, III, IV"}},
		{"control characters in a name", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranFullName.First = "Qu\ninn" },
			[]string{"veteranFullName.first: must not contain control characters"}},
		{"city of birth", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.CityOfBirth = "X" },
			[]string{"cityOfBirth: must be at least 2 characters"}},
		{"state of birth", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.StateOfBirth = "PR" },
			[]string{"stateOfBirth: must be a US state code or Other"}},
		{"marital status", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.MaritalStatus = "married" },
			[]string{"maritalStatus: must be one of: Married, Never Married, Separated, Widowed, Divorced"}},
		{"facility", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VAMedicalFacility = "648ABC" },
			[]string{"vaMedicalFacility: must be a VA station number: 3 digits, then up to 2 letters or digits (e.g. 648A4)"}},
		{"US address without state and ZIP", enrollmenttest.Minimal, func(a *enrollment.Application) {
			a.Form.VeteranAddress.State, a.Form.VeteranAddress.PostalCode = "", ""
		}, []string{"veteranAddress.state: required for a USA address", "veteranAddress.postalCode: required for a USA address"}},
		{"US ZIP", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranAddress.PostalCode = "9720" },
			[]string{"veteranAddress.postalCode: must be a ZIP code: 5 digits or ZIP+4"}},
		{"US state", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranAddress.State = "Oregon" },
			[]string{"veteranAddress.state: must be a US state code"}},
		{"Canadian province", enrollmenttest.Foreign, func(a *enrollment.Application) { a.Form.VeteranHomeAddress.State = "OR" },
			[]string{"veteranHomeAddress.state: must be a Canadian province code"}},
		{"Mexican state", enrollmenttest.Foreign, func(a *enrollment.Application) {
			a.Form.VeteranHomeAddress.Country, a.Form.VeteranHomeAddress.State = "MEX", "QC"
		},
			[]string{"veteranHomeAddress.state: must be a Mexican state"}},
		{"country", enrollmenttest.Foreign, func(a *enrollment.Application) { a.Form.VeteranAddress.Country = "Germany" },
			[]string{"veteranAddress.country: must be a 3-letter country code such as USA"}},
		{"no country", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranAddress.Country = "" },
			[]string{"veteranAddress.country: required"}},
		{"street too long", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.VeteranAddress.Street = strings.Repeat("7", 31) },
			[]string{"veteranAddress.street: must be at most 30 characters"}},
		{"email", enrollmenttest.Minimal, func(a *enrollment.Application) { a.Form.Email = "qz.veteran@example" },
			[]string{"email: must be an email address"}},
		{"phones", enrollmenttest.Married, func(a *enrollment.Application) { a.Form.HomePhone, a.Form.MobilePhone = "(937) 555-0142", "555014" },
			[]string{"homePhone: must be 10 digits", "mobilePhone: must be 10 digits"}},
		{"married without a spouse", enrollmenttest.Married, func(a *enrollment.Application) { a.Form.SpouseFullName = nil },
			[]string{"spouseFullName: required when maritalStatus is Married or Separated"}},
		{"spouse ssn and date of birth", enrollmenttest.Married, func(a *enrollment.Application) {
			a.Form.SpouseSocialSecurityNumber, a.Form.SpouseDateOfBirth = "30155991", "2027-01-01"
		}, []string{"spouseSocialSecurityNumber: must be 9 digits", "spouseDateOfBirth: must not be in the future"}},
		{"dependent without name or relation", enrollmenttest.Married, func(a *enrollment.Application) {
			a.Form.Dependents[1].FullName, a.Form.Dependents[1].DependentRelation = nil, ""
		}, []string{"dependents[1].fullName: required", "dependents[1].dependentRelation: required"}},
		{"dependent relation", enrollmenttest.Married, func(a *enrollment.Application) { a.Form.Dependents[0].DependentRelation = "Nephew" },
			[]string{"dependents[0].dependentRelation: must be one of: Daughter, Son, Stepson, Stepdaughter, Father, Mother, Spouse, Other"}},
		{"amounts", enrollmenttest.Married, func(a *enrollment.Application) {
			a.Form.VeteranGrossIncome, a.Form.Dependents[0].GrossIncome = f(-1), f(10000000)
		}, []string{"dependents[0].grossIncome: must be between 0 and 9999999.99", "veteranGrossIncome: must be between 0 and 9999999.99"}},
		{"provider without policy or group", enrollmenttest.Insured, func(a *enrollment.Application) {
			a.Form.Providers[2].InsuranceGroupCode = ""
		}, []string{"providers[2]: insurancePolicyNumber or insuranceGroupCode is required"}},
		{"provider name too long", enrollmenttest.Insured, func(a *enrollment.Application) {
			a.Form.Providers[0].InsuranceName = strings.Repeat("h", 101)
		}, []string{"providers[0].insuranceName: must be at most 100 characters"}},
		{"discharge far in the future", enrollmenttest.Minimal, func(a *enrollment.Application) {
			a.Form.LastEntryDate, a.Form.LastDischargeDate = "2020-01-01", "2026-09-01"
		}, []string{"lastDischargeDate: must not be more than 180 days in the future"}},
		{"discharge soon is fine", enrollmenttest.Minimal, func(a *enrollment.Application) {
			a.Form.LastEntryDate, a.Form.LastDischargeDate = "2020-01-01", "2026-08-01"
		}, nil},
		{"discharge before entry", enrollmenttest.Insured, func(a *enrollment.Application) { a.Form.LastDischargeDate = "1998-05-18" },
			[]string{"lastDischargeDate: must be after lastEntryDate"}},
		{"branch and discharge type", enrollmenttest.Insured, func(a *enrollment.Application) { a.Form.LastServiceBranch, a.Form.DischargeType = "Navy", "medical" },
			[]string{"lastServiceBranch: must be one of: air force, army, coast guard, marine corps, merchant seaman, navy, noaa, space force, usphs, f.commonwealth, f.guerilla, f.scouts new, f.scouts old, other",
				"dischargeType: must be one of: honorable, general, other, bad-conduct, dishonorable, undesirable"}},
		{"partial dates", enrollmenttest.Married, func(a *enrollment.Application) { a.Form.GulfWarStartDate = "1990-13-XX" },
			[]string{"gulfWarStartDate: must be a date YYYY-MM-DD, with XX for an unknown month or day"}},
		{"other toxic exposure text", enrollmenttest.Married, func(a *enrollment.Application) { a.Form.OtherToxicExposure = "burn pits <near> base" },
			[]string{"otherToxicExposure: may hold only letters, digits, spaces and , . ? !"}},
		{"attachments", enrollmenttest.Minimal, func(a *enrollment.Application) {
			a.Form.Attachments = []enrollment.Attachment{{Name: "dd214.pdf", ConfirmationCode: "c0ffee", DD214: true}}
		}, []string{"attachments: not supported: hcaops cannot read vets.gov's upload store; submit without attachments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := enrollmenttest.Named(tt.form, testApplicationID)
			tt.change(&a)
			err := a.Validate(testNow)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate returned nil")
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate errors:\n got %q\nwant %q", got, tt.want)
			}
			assertNoPII(t, "Validate error", err.Error())
		})
	}
}

func TestNilApplication(t *testing.T) {
	var a *enrollment.Application
	if err := a.Validate(testNow); err == nil || err.Error() != "application: required" {
		t.Fatalf("Validate(nil) = %v", err)
	}
}

func TestApplicationPrintsOnlyItsID(t *testing.T) {
	a := validApplication()
	want := "Application{id=" + a.ApplicationID + "}"
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"} {
		for _, v := range []any{a, *a} {
			got := fmt.Sprintf(format, v)
			if !strings.Contains(got, want) {
				t.Errorf("Sprintf(%q, %T) = %q, want it to contain %q", format, v, got, want)
			}
			assertNoPII(t, fmt.Sprintf("Sprintf(%q, %T)", format, v), got)
		}
	}
	f := a.Form
	parts := []any{f, &f, f.VeteranFullName, *f.VeteranAddress, f.Dependents, f.Dependents[0], *f.SpouseFullName,
		enrollment.VeteranIdentifier{Type: 1, Value: "1012667145V762142"}}
	for _, format := range []string{"%v", "%+v", "%#v", "%d"} {
		got := fmt.Sprintf(format, parts...)
		assertNoPII(t, "parts printed with "+format, got)
		if strings.Contains(got, "1012667145V762142") {
			t.Errorf("parts printed with %s show the ICN: %s", format, got)
		}
	}
}

func TestApplicationLogsOnlyItsID(t *testing.T) {
	a := validApplication()
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(h).Info("submit", "app", a, "value", *a, "form", a.Form, "address", a.Form.VeteranAddress, "dependent", a.Form.Dependents[0])
	}
	out := buf.String()
	assertNoPII(t, "slog output", out)
	if !strings.Contains(out, a.ApplicationID) {
		t.Errorf("slog output lacks the application id: %s", out)
	}
}

// The form round-trips through JSON (the workflow input, the codec) without losing a field
// the front end posted. An optional yes/no question answered "no" reads the same as one
// left unanswered (vets-api maps both to false), so false booleans are compared as absent;
// the booleans the form requires keep their false.
func TestFormJSONRoundTrip(t *testing.T) {
	for _, name := range append(slices.Clone(enrollmenttest.ValidForms), enrollmenttest.Invalid) {
		var posted, back map[string]any
		if err := json.Unmarshal(enrollmenttest.JSON(name), &posted); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(enrollmenttest.Form(name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		dropFalse(posted, "isSpanishHispanicLatino", "isMedicaidEligible")
		dropFalse(back, "isSpanishHispanicLatino", "isMedicaidEligible")
		if !reflect.DeepEqual(posted, back) {
			t.Errorf("%s: JSON round trip changed the form:\n posted %v\n back   %v", name, posted, back)
		}
	}
}

func dropFalse(m map[string]any, keep ...string) {
	for k, v := range m {
		if v == false && !slices.Contains(keep, k) {
			delete(m, k)
		}
		if sub, ok := v.(map[string]any); ok {
			dropFalse(sub)
		}
		if list, ok := v.([]any); ok {
			for _, e := range list {
				if sub, ok := e.(map[string]any); ok {
					dropFalse(sub)
				}
			}
		}
	}
}
