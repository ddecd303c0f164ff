package enrollment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

func TestValidateAcceptsCompleteApplication(t *testing.T) {
	if err := validApplication().Validate(testNow); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	minimal := validApplication()
	minimal.VeteranIdentifier, minimal.FinancialsInfo, minimal.InsuranceList, minimal.Associations = nil, nil, nil, nil
	minimal.Demographics.HomePhone, minimal.Demographics.Email = "", ""
	if err := minimal.Validate(testNow); err != nil {
		t.Fatalf("Validate without optional sections: %v", err)
	}
}

func TestValidateNamesFieldsNotValues(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *Application)
		want   []string // every message expected, exactly
		values []string // values set by change that must not show in the error
	}{
		{"ssn too short", func(a *Application) { a.PersonInfo.SSN = "98765" },
			[]string{"personInfo.ssn: must be 9 digits"}, []string{"98765"}},
		{"ssn with dashes", func(a *Application) { a.PersonInfo.SSN = "231-54-9876" },
			[]string{"personInfo.ssn: must be 9 digits"}, []string{"231-54-9876"}},
		{"ssn area 000", func(a *Application) { a.PersonInfo.SSN = "000549876" },
			[]string{"personInfo.ssn: area number (first 3 digits) must not be 000, 666 or 9xx"}, []string{"000549876"}},
		{"ssn area 666", func(a *Application) { a.PersonInfo.SSN = "666549876" },
			[]string{"personInfo.ssn: area number (first 3 digits) must not be 000, 666 or 9xx"}, []string{"666549876"}},
		{"ssn area 9xx", func(a *Application) { a.PersonInfo.SSN = "931549876" },
			[]string{"personInfo.ssn: area number (first 3 digits) must not be 000, 666 or 9xx"}, []string{"931549876"}},
		{"ssn group 00", func(a *Application) { a.PersonInfo.SSN = "231009876" },
			[]string{"personInfo.ssn: group number (digits 4-5) must not be 00"}, []string{"231009876"}},
		{"ssn serial 0000", func(a *Application) { a.PersonInfo.SSN = "231540000" },
			[]string{"personInfo.ssn: serial number (last 4 digits) must not be 0000"}, []string{"231540000"}},
		{"dob not a date", func(a *Application) { a.PersonInfo.DateOfBirth = "1961-13-45" },
			[]string{"personInfo.dateOfBirth: must be a valid date YYYY-MM-DD"}, []string{"1961-13-45"}},
		{"dob in the future", func(a *Application) { a.PersonInfo.DateOfBirth = "2026-03-03" },
			[]string{"personInfo.dateOfBirth: must not be in the future"}, []string{"2026-03-03"}},
		{"dob typo", func(a *Application) { a.PersonInfo.DateOfBirth = "0196-07-04" },
			[]string{"personInfo.dateOfBirth: must not be before 1900-01-01"}, []string{"0196-07-04"}},
		{"gender", func(a *Application) { a.PersonInfo.Gender = "Male" },
			[]string{"personInfo.gender: must be M or F"}, []string{"Male"}},
		{"zip", func(a *Application) { a.Demographics.Address.ZipCode = "9720X" },
			[]string{"demographics.address.zipCode: must be 5 digits or ZIP+4"}, []string{"9720X"}},
		{"foreign zip is free text", func(a *Application) {
			a.Demographics.Address.Country, a.Demographics.Address.State, a.Demographics.Address.ZipCode = "CAN", "Ontario", "K1A 0B1"
		}, nil, nil},
		{"state", func(a *Application) { a.Demographics.Address.State = "Oregon" },
			[]string{"demographics.address.state: must be a 2-letter US state code"}, []string{"Oregon"}},
		{"email", func(a *Application) { a.Demographics.Email = "zq.veteran.example.com" },
			[]string{"demographics.email: must be an email address"}, []string{"zq.veteran.example.com"}},
		{"facility", func(a *Application) { a.Demographics.PreferredFacility = "Portland VAMC" },
			[]string{"demographics.preferredFacility: must be a VA station number such as 528A6"}, []string{"Portland VAMC"}},
		{"discharge before entry", func(a *Application) { a.MilitaryServiceInfo.LastDischargeDate = "1979-12-31" },
			[]string{"militaryServiceInfo.lastDischargeDate: must be after militaryServiceInfo.lastEntryDate"}, []string{"1979-12-31"}},
		{"application id", func(a *Application) { a.ApplicationID = "submission-17" },
			[]string{"applicationId: must be a UUID"}, nil},
		{"form type", func(a *Application) { a.FormType = 101 },
			[]string{"formType: must be 100 (10-10EZ)"}, nil},
		{"application method", func(a *Application) { a.ApplicationMethod = 0 },
			[]string{"applicationMethod: must be 1 (online), 2 (in person), 3 (phone) or 4 (mail)"}, nil},
		{"veteran identifier", func(a *Application) { a.VeteranIdentifier = &VeteranIdentifier{Type: 3} },
			[]string{"veteranIdentifier.type: must be 1 (ICN) or 2 (EDIPI)", "veteranIdentifier.value: required"}, nil},
		{"insurance and association", func(a *Application) {
			a.InsuranceList = append(a.InsuranceList, Insurance{PolicyNumber: "POL-1"})
			a.Associations[0].Name = " "
		}, []string{"insuranceList[1].companyName: required", "associations[0].name: required"}, []string{"POL-1"}},
		{"negative income", func(a *Application) { a.FinancialsInfo.HouseholdIncome = -5 },
			[]string{"financialsInfo.householdIncome: must not be negative"}, nil},
		{"everything required missing", func(a *Application) { *a = Application{} }, []string{
			"applicationId: required",
			"formType: must be 100 (10-10EZ)",
			"applicationMethod: must be 1 (online), 2 (in person), 3 (phone) or 4 (mail)",
			"personInfo.firstName: required",
			"personInfo.lastName: required",
			"personInfo.dateOfBirth: required",
			"personInfo.ssn: required",
			"personInfo.gender: required",
			"demographics.address.street: required",
			"demographics.address.city: required",
			"demographics.address.state: required",
			"demographics.address.zipCode: required",
			"demographics.preferredFacility: required",
			"militaryServiceInfo.lastServiceBranch: required",
			"militaryServiceInfo.lastEntryDate: required",
			"militaryServiceInfo.lastDischargeDate: required",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validApplication()
			tt.change(a)
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
			got := strings.Split(err.Error(), "\n")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate errors:\n got %q\nwant %q", got, tt.want)
			}
			if fe, ok := errors.AsType[*FieldError](err); !ok || fe.Field == "" {
				t.Errorf("errors.As(*FieldError) = %v, %v", fe, ok)
			}
			assertNoPII(t, "Validate error", err.Error())
			for _, v := range tt.values {
				if strings.Contains(err.Error(), v) {
					t.Errorf("Validate error contains the value %q: %v", v, err)
				}
			}
		})
	}
}

func TestValidateNilApplication(t *testing.T) {
	var a *Application
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
	if got := fmt.Sprint(*a); got != want {
		t.Errorf("Sprint = %q, want %q", got, want)
	}
	sections := []any{a.PersonInfo, a.Demographics, a.Demographics.Address, a.MilitaryServiceInfo,
		a.EnrollmentDeterminationInfo, *a.FinancialsInfo, a.InsuranceList, a.Associations, *a.VeteranIdentifier}
	for _, format := range []string{"%v", "%+v", "%#v", "%d"} {
		got := fmt.Sprintf(format, sections...)
		assertNoPII(t, "sections printed with "+format, got)
		if strings.Contains(got, "1012667145V762142") {
			t.Errorf("sections printed with %s show the ICN: %s", format, got)
		}
	}
}

func TestApplicationLogsOnlyItsID(t *testing.T) {
	a := validApplication()
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(h).Info("submit", "app", a, "value", *a, "person", a.PersonInfo, "kin", a.Associations[0])
	}
	out := buf.String()
	assertNoPII(t, "slog output", out)
	if !strings.Contains(out, a.ApplicationID) {
		t.Errorf("slog output lacks the application id: %s", out)
	}
}

func TestApplicationJSONRoundTrip(t *testing.T) {
	a := validApplication()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"applicationId"`, `"formType"`, `"veteranIdentifier"`, `"personInfo"`, `"dateOfBirth"`,
		`"ssn"`, `"demographics"`, `"zipCode"`, `"preferredFacility"`, `"militaryServiceInfo"`, `"lastDischargeDate"`,
		`"enrollmentDeterminationInfo"`, `"financialsInfo"`, `"insuranceList"`, `"companyName"`, `"associations"`, `"contactType"`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks key %s", key)
		}
	}
	var back Application
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, a) {
		t.Error("JSON round trip changed the application")
	}
}
