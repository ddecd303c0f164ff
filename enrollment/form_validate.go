package enrollment

import (
	"errors"
	"fmt"
	"github.com/google/uuid"
	"regexp"
	"strings"
	"time"
)

// FieldError is one problem with one field of an Application. It names the field path
// and the rule, never the value: the values are PII and errors end up in logs,
// Temporal histories and tickets.
type FieldError struct {
	Field   string // JSON path, e.g. "demographics.address.zipCode"
	Problem string // e.g. "required"
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

var (
	ssnPattern      = regexp.MustCompile(`^[0-9]{9}$`)
	zipPattern      = regexp.MustCompile(`^[0-9]{5}(-?[0-9]{4})?$`)
	statePattern    = regexp.MustCompile(`^[A-Z]{2}$`)
	facilityPattern = regexp.MustCompile(`^[0-9]{3}[A-Z0-9]{0,3}$`) // station number, e.g. 528 or 528A6
)

// earliestBirthDate rejects typos such as 0195 for 1950.
const earliestBirthDate = "1900-01-01"

// Validate checks the application before it goes to ES and returns every problem found,
// joined with errors.Join, each a *FieldError. now is the reference for "not in the
// future" (pass workflow.Now in workflow code, time.Now elsewhere).
func (a *Application) Validate(now time.Time) error {
	if a == nil {
		return &FieldError{Field: "application", Problem: "required"}
	}
	v := &validator{}
	today := now.Format(time.DateOnly)

	switch {
	case a.ApplicationID == "":
		v.add("applicationId", "required")
	case !isCanonicalUUID(a.ApplicationID):
		v.add("applicationId", "must be a UUID")
	}
	if a.FormType != FormType1010EZ {
		v.add("formType", fmt.Sprintf("must be %d (10-10EZ)", FormType1010EZ))
	}
	if a.ApplicationMethod < ApplicationMethodOnline || a.ApplicationMethod > ApplicationMethodMail {
		v.add("applicationMethod", "must be 1 (online), 2 (in person), 3 (phone) or 4 (mail)")
	}
	if id := a.VeteranIdentifier; id != nil {
		if id.Type != VeteranIdentifierICN && id.Type != VeteranIdentifierEDIPI {
			v.add("veteranIdentifier.type", "must be 1 (ICN) or 2 (EDIPI)")
		}
		v.required("veteranIdentifier.value", id.Value)
	}

	p := a.PersonInfo
	v.required("personInfo.firstName", p.FirstName)
	v.required("personInfo.lastName", p.LastName)
	if dob, ok := v.date("personInfo.dateOfBirth", p.DateOfBirth); ok {
		switch {
		case dob > today:
			v.add("personInfo.dateOfBirth", "must not be in the future")
		case dob < earliestBirthDate:
			v.add("personInfo.dateOfBirth", "must not be before "+earliestBirthDate)
		}
	}
	switch {
	case p.SSN == "":
		v.add("personInfo.ssn", "required")
	case !ssnPattern.MatchString(p.SSN):
		v.add("personInfo.ssn", "must be 9 digits")
	case p.SSN[:3] == "000" || p.SSN[:3] == "666" || p.SSN[0] == '9':
		v.add("personInfo.ssn", "area number (first 3 digits) must not be 000, 666 or 9xx")
	case p.SSN[3:5] == "00":
		v.add("personInfo.ssn", "group number (digits 4-5) must not be 00")
	case p.SSN[5:] == "0000":
		v.add("personInfo.ssn", "serial number (last 4 digits) must not be 0000")
	}
	switch {
	case p.Gender == "":
		v.add("personInfo.gender", "required")
	case p.Gender != "M" && p.Gender != "F":
		v.add("personInfo.gender", "must be M or F")
	}

	d := a.Demographics
	v.required("demographics.address.street", d.Address.Street)
	v.required("demographics.address.city", d.Address.City)
	usAddress := d.Address.Country == "" || d.Address.Country == "USA"
	switch {
	case d.Address.State == "":
		v.add("demographics.address.state", "required")
	case usAddress && !statePattern.MatchString(d.Address.State):
		v.add("demographics.address.state", "must be a 2-letter US state code")
	}
	switch {
	case d.Address.ZipCode == "":
		v.add("demographics.address.zipCode", "required")
	case usAddress && !zipPattern.MatchString(d.Address.ZipCode):
		v.add("demographics.address.zipCode", "must be 5 digits or ZIP+4")
	}
	if d.Email != "" && !strings.Contains(d.Email, "@") {
		v.add("demographics.email", "must be an email address")
	}
	switch {
	case d.PreferredFacility == "":
		v.add("demographics.preferredFacility", "required")
	case !facilityPattern.MatchString(d.PreferredFacility):
		v.add("demographics.preferredFacility", "must be a VA station number such as 528A6")
	}

	m := a.MilitaryServiceInfo
	v.required("militaryServiceInfo.lastServiceBranch", m.LastServiceBranch)
	entry, entryOK := v.date("militaryServiceInfo.lastEntryDate", m.LastEntryDate)
	discharge, dischargeOK := v.date("militaryServiceInfo.lastDischargeDate", m.LastDischargeDate)
	if entryOK && dischargeOK && discharge <= entry {
		v.add("militaryServiceInfo.lastDischargeDate", "must be after militaryServiceInfo.lastEntryDate")
	}

	if f := a.FinancialsInfo; f != nil {
		if f.HouseholdIncome < 0 {
			v.add("financialsInfo.householdIncome", "must not be negative")
		}
		if f.MedicalExpenses < 0 {
			v.add("financialsInfo.medicalExpenses", "must not be negative")
		}
		if f.Dependents < 0 {
			v.add("financialsInfo.dependents", "must not be negative")
		}
	}
	for i, ins := range a.InsuranceList {
		v.required(fmt.Sprintf("insuranceList[%d].companyName", i), ins.CompanyName)
	}
	for i, as := range a.Associations {
		v.required(fmt.Sprintf("associations[%d].contactType", i), as.ContactType)
		v.required(fmt.Sprintf("associations[%d].name", i), as.Name)
	}
	return errors.Join(v.errs...)
}

type validator struct{ errs []error }

func (v *validator) add(field, problem string) {
	v.errs = append(v.errs, &FieldError{Field: field, Problem: problem})
}

func (v *validator) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		v.add(field, "required")
	}
}

// date checks a required YYYY-MM-DD field and returns it for ordering comparisons
// (ISO dates compare correctly as strings).
func (v *validator) date(field, value string) (string, bool) {
	if value == "" {
		v.add(field, "required")
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		v.add(field, "must be a valid date YYYY-MM-DD")
		return "", false
	}
	return value, true
}

// isCanonicalUUID accepts only the 36-character form: the ID is part of a workflow ID and
// an ES submission key, so one application has one spelling.
func isCanonicalUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
