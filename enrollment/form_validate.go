package enrollment

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
)

// FieldError is one problem with one field of an application. It names the field by its
// path in the va.gov form (e.g. "veteranAddress.postalCode", "dependents[1].fullName.last")
// and the rule, never the value: values are PII, and errors end up in logs, Temporal
// histories and tickets.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

var (
	digits9       = regexp.MustCompile(`^[0-9]{9}$`)
	digits10      = regexp.MustCompile(`^[0-9]{10}$`)
	usZIP         = regexp.MustCompile(`^[0-9]{5}(-?[0-9]{4})?$`)
	stationNumber = regexp.MustCompile(`^[0-9]{3}[A-Z0-9]{0,2}$`) // e.g. 648, 648A4, 589GJ
	partialDate   = regexp.MustCompile(`^([0-9]{4}|XXXX)-(0[1-9]|1[0-2]|XX)-(0[1-9]|[12][0-9]|3[01]|XX)$`)
	toxicText     = regexp.MustCompile(`^[a-zA-Z0-9,.?! ]*$`)
	// An address: a dot-separated local part without spaces or specials, @, a domain with a
	// top-level label of two or more letters.
	emailAddress = regexp.MustCompile(`^[^\s@<>()\[\]\\.,;:"]+(\.[^\s@<>()\[\]\\.,;:"]+)*@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$`)
)

// earliestDate rejects typos such as 0195 for 1950.
const earliestDate = "1900-01-01"

// Validate checks the application before anything is started or sent, and returns every
// problem found (errors.Join of *FieldError). now is the reference for "in the future"
// (workflow.Now in workflow code).
func (a *Application) Validate(now time.Time) error {
	if a == nil {
		return &FieldError{Field: "application", Problem: "required"}
	}
	v := &validator{today: now.Format(time.DateOnly), now: now}
	switch {
	case a.ApplicationID == "":
		v.add("applicationId", "required")
	case !isCanonicalUUID(a.ApplicationID):
		v.add("applicationId", "must be a UUID")
	}
	if id := a.VeteranIdentifier; id != nil {
		if id.Type != VeteranIdentifierICN && id.Type != VeteranIdentifierEDIPI {
			v.add("veteranIdentifier.type", "must be 1 (ICN) or 2 (EDIPI)")
		}
		v.text("veteranIdentifier.value", id.Value, textRule{required: true, max: 64})
	}
	a.Form.validate(v)
	return errors.Join(v.errs...)
}

// Validate checks the form alone (paths as in the form), with the same rules.
func (f *Form) Validate(now time.Time) error {
	v := &validator{today: now.Format(time.DateOnly), now: now}
	f.validate(v)
	return errors.Join(v.errs...)
}

func (f *Form) validate(v *validator) {
	if f.PrivacyAgreementAccepted == nil {
		v.add("privacyAgreementAccepted", "required")
	} else if !*f.PrivacyAgreementAccepted {
		v.add("privacyAgreementAccepted", "must be true")
	}
	if len(f.Attachments) > 0 {
		// The form carries only references into vets.gov's upload store, which hcaops cannot
		// read: refusing is better than submitting without the Veteran's documents.
		v.add("attachments", "not supported: hcaops cannot read vets.gov's upload store; submit without attachments")
	}

	v.fullName("veteranFullName", &f.VeteranFullName)
	v.text("mothersMaidenName", f.MothersMaidenName, textRule{max: 35})
	v.ssn("veteranSocialSecurityNumber", f.VeteranSocialSecurityNumber, true)
	v.enum("gender", f.Gender, genders, true)
	v.text("cityOfBirth", f.CityOfBirth, textRule{min: minCityOfBirth, max: maxCityOfBirth})
	v.enumDesc("stateOfBirth", f.StateOfBirth, birthStates, "must be a US state code or Other")
	if dob, ok := v.date("veteranDateOfBirth", f.VeteranDateOfBirth, true); ok {
		v.notFuture("veteranDateOfBirth", dob)
	}
	v.enum("maritalStatus", f.MaritalStatus, maritalStatuses, false)
	v.enum("vaCompensationType", f.VACompensationType, vaCompensationTypes, false)
	v.enum("vaPensionType", f.VAPensionType, vaPensionTypes, false)
	switch {
	case f.VAMedicalFacility == "":
		v.add("vaMedicalFacility", "required")
	case !stationNumber.MatchString(f.VAMedicalFacility):
		v.add("vaMedicalFacility", "must be a VA station number: 3 digits, then up to 2 letters or digits (e.g. 648A4)")
	}
	if f.IsSpanishHispanicLatino == nil {
		v.add("isSpanishHispanicLatino", "required")
	}

	if f.VeteranAddress == nil {
		v.add("veteranAddress", "required")
	} else {
		v.address("veteranAddress", f.VeteranAddress)
	}
	if f.VeteranHomeAddress != nil {
		v.address("veteranHomeAddress", f.VeteranHomeAddress)
	}
	if f.Email != "" && !emailAddress.MatchString(f.Email) {
		v.add("email", "must be an email address")
	}
	v.phone("homePhone", f.HomePhone)
	v.phone("mobilePhone", f.MobilePhone)

	if f.SpouseFullName != nil {
		v.fullName("spouseFullName", f.SpouseFullName)
	} else if f.Married() {
		v.add("spouseFullName", "required when maritalStatus is Married or Separated")
	}
	v.ssn("spouseSocialSecurityNumber", f.SpouseSocialSecurityNumber, false)
	if d, ok := v.date("spouseDateOfBirth", f.SpouseDateOfBirth, false); ok {
		v.notFuture("spouseDateOfBirth", d)
	}
	v.date("dateOfMarriage", f.DateOfMarriage, false)
	if f.SpouseAddress != nil {
		v.address("spouseAddress", f.SpouseAddress)
	}
	v.phone("spousePhone", f.SpousePhone)

	for i := range f.Dependents {
		v.dependent(fmt.Sprintf("dependents[%d]", i), &f.Dependents[i])
	}
	for _, m := range []struct {
		path  string
		value *float64
	}{
		{"veteranGrossIncome", f.VeteranGrossIncome}, {"veteranNetIncome", f.VeteranNetIncome},
		{"veteranOtherIncome", f.VeteranOtherIncome}, {"spouseGrossIncome", f.SpouseGrossIncome},
		{"spouseNetIncome", f.SpouseNetIncome}, {"spouseOtherIncome", f.SpouseOtherIncome},
		{"deductibleMedicalExpenses", f.DeductibleMedicalExpenses}, {"deductibleFuneralExpenses", f.DeductibleFuneralExpenses},
		{"deductibleEducationExpenses", f.DeductibleEducationExpenses},
	} {
		v.money(m.path, m.value)
	}

	for i, p := range f.Providers {
		path := fmt.Sprintf("providers[%d]", i)
		v.text(path+".insuranceName", p.InsuranceName, textRule{max: maxInsuranceName, notBlank: true})
		v.text(path+".insurancePolicyHolderName", p.InsurancePolicyHolderName, textRule{max: maxPolicyHolder, notBlank: true})
		v.text(path+".insurancePolicyNumber", p.InsurancePolicyNumber, textRule{max: maxPolicyNumber, notBlank: true})
		v.text(path+".insuranceGroupCode", p.InsuranceGroupCode, textRule{max: maxGroupCode, notBlank: true})
		if p.InsurancePolicyNumber == "" && p.InsuranceGroupCode == "" {
			v.add(path, "insurancePolicyNumber or insuranceGroupCode is required")
		}
	}
	if f.IsMedicaidEligible == nil {
		v.add("isMedicaidEligible", "required")
	}
	v.date("medicarePartAEffectiveDate", f.MedicarePartAEffectiveDate, false)
	v.text("medicareClaimNumber", f.MedicareClaimNumber, textRule{max: maxMedicareClaim})

	v.enum("lastServiceBranch", f.LastServiceBranch, serviceBranches, false)
	entry, entryOK := v.date("lastEntryDate", f.LastEntryDate, false)
	discharge, dischargeOK := v.date("lastDischargeDate", f.LastDischargeDate, false)
	if dischargeOK && discharge.After(v.now.AddDate(0, 0, maxFutureDischarge)) {
		v.add("lastDischargeDate", fmt.Sprintf("must not be more than %d days in the future", maxFutureDischarge))
	}
	if entryOK && dischargeOK && !discharge.After(entry) {
		v.add("lastDischargeDate", "must be after lastEntryDate")
	}
	v.enum("dischargeType", f.DischargeType, dischargeTypes, false)

	for _, p := range []struct{ path, value string }{
		{"gulfWarStartDate", f.GulfWarStartDate}, {"gulfWarEndDate", f.GulfWarEndDate},
		{"agentOrangeStartDate", f.AgentOrangeStartDate}, {"agentOrangeEndDate", f.AgentOrangeEndDate},
		{"toxicExposureStartDate", f.ToxicExposureStartDate}, {"toxicExposureEndDate", f.ToxicExposureEndDate},
	} {
		if p.value != "" && !partialDate.MatchString(p.value) {
			v.add(p.path, "must be a date YYYY-MM-DD, with XX for an unknown month or day")
		}
	}
	v.text("otherToxicExposure", f.OtherToxicExposure, textRule{max: maxOtherToxic})
	if !toxicText.MatchString(f.OtherToxicExposure) {
		v.add("otherToxicExposure", "may hold only letters, digits, spaces and , . ? !")
	}
}

type validator struct {
	errs  []error
	today string
	now   time.Time
}

func (v *validator) add(field, problem string) {
	v.errs = append(v.errs, &FieldError{Field: field, Problem: problem})
}

type textRule struct {
	required bool
	notBlank bool // when present, not only spaces
	min, max int  // in characters; 0: no limit
}

// text checks a free-text field: presence, length, and no control characters (they have
// no place in a name or an address, and XML 1.0 cannot carry most of them).
func (v *validator) text(path, s string, r textRule) bool {
	if s == "" {
		if r.required {
			v.add(path, "required")
		}
		return false
	}
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s):
		v.add(path, "must be valid UTF-8 text")
	case strings.IndexFunc(s, isControl) >= 0:
		v.add(path, "must not contain control characters")
	case (r.notBlank || r.required) && strings.TrimSpace(s) == "":
		v.add(path, "must not be blank")
	case r.min > 0 && n < r.min:
		v.add(path, fmt.Sprintf("must be at least %d characters", r.min))
	case r.max > 0 && n > r.max:
		v.add(path, fmt.Sprintf("must be at most %d characters", r.max))
	default:
		return true
	}
	return false
}

func isControl(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }

func (v *validator) fullName(path string, n *FullName) {
	v.text(path+".first", n.First, textRule{required: true, max: maxFirstName})
	v.text(path+".middle", n.Middle, textRule{max: maxMiddleName})
	v.text(path+".last", n.Last, textRule{required: true, min: minLastName, max: maxLastName})
	v.enum(path+".suffix", n.Suffix, nameSuffixes, false)
}

func (v *validator) enum(path, s string, allowed []string, required bool) {
	if s == "" {
		if required {
			v.add(path, "required")
		}
		return
	}
	if !slices.Contains(allowed, s) {
		v.add(path, "must be one of: "+strings.Join(allowed, ", "))
	}
}

// enumDesc is enum for long lists, described rather than listed.
func (v *validator) enumDesc(path, s string, allowed []string, problem string) {
	if s != "" && !slices.Contains(allowed, s) {
		v.add(path, problem)
	}
}

// ssn applies the form's pattern and the rules vets-api uses to refuse numbers SSA never
// issues (area 000, group 00, serial 0000, one digit nine times).
func (v *validator) ssn(path, s string, required bool) {
	switch {
	case s == "":
		if required {
			v.add(path, "required")
		}
	case !digits9.MatchString(s):
		v.add(path, "must be 9 digits")
	case s[:3] == "000":
		v.add(path, "area number (first 3 digits) must not be 000")
	case s[3:5] == "00":
		v.add(path, "group number (digits 4-5) must not be 00")
	case s[5:] == "0000":
		v.add(path, "serial number (last 4 digits) must not be 0000")
	case strings.Count(s, s[:1]) == 9:
		v.add(path, "must not be one digit repeated")
	}
}

// date checks a YYYY-MM-DD field and returns it for comparisons.
func (v *validator) date(path, s string, required bool) (time.Time, bool) {
	if s == "" {
		if required {
			v.add(path, "required")
		}
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.add(path, "must be a date YYYY-MM-DD")
		return time.Time{}, false
	}
	if s < earliestDate {
		v.add(path, "must not be before "+earliestDate)
		return time.Time{}, false
	}
	return d, true
}

func (v *validator) notFuture(path string, d time.Time) {
	if d.Format(time.DateOnly) > v.today {
		v.add(path, "must not be in the future")
	}
}

func (v *validator) phone(path, s string) {
	if s != "" && !digits10.MatchString(s) {
		v.add(path, "must be 10 digits")
	}
}

func (v *validator) money(path string, m *float64) {
	if m != nil && (*m < 0 || *m > maxMonetaryValue) {
		v.add(path, "must be between 0 and 9999999.99")
	}
}

// address applies the form's rules, and for a US address what va.gov's form also asks
// (a state and a ZIP code), without which ES cannot place the Veteran.
func (v *validator) address(path string, a *Address) {
	v.text(path+".street", a.Street, textRule{required: true, max: maxStreet})
	v.text(path+".street2", a.Street2, textRule{max: maxStreet})
	v.text(path+".street3", a.Street3, textRule{max: maxStreet})
	v.text(path+".city", a.City, textRule{required: true, max: maxCity})
	v.text(path+".provinceCode", a.ProvinceCode, textRule{max: maxProvinceCode, notBlank: true})
	v.text(path+".postalCode", a.PostalCode, textRule{max: maxPostalCode, notBlank: true})
	switch a.Country {
	case "":
		v.add(path+".country", "required")
	case "USA":
		switch {
		case a.State == "":
			v.add(path+".state", "required for a USA address")
		case !slices.Contains(usStates, a.State):
			v.add(path+".state", "must be a US state code")
		}
		switch {
		case a.PostalCode == "":
			v.add(path+".postalCode", "required for a USA address")
		case !usZIP.MatchString(a.PostalCode):
			v.add(path+".postalCode", "must be a ZIP code: 5 digits or ZIP+4")
		}
	case "CAN":
		v.enumDesc(path+".state", a.State, canadianProvinces, "must be a Canadian province code")
	case "MEX":
		v.enumDesc(path+".state", a.State, mexicanStates, "must be a Mexican state")
	default:
		if len(a.Country) != 3 || strings.ToUpper(a.Country) != a.Country || strings.IndexFunc(a.Country, notLetter) >= 0 {
			v.add(path+".country", "must be a 3-letter country code such as USA")
		}
		v.text(path+".state", a.State, textRule{max: maxProvinceCode})
	}
}

func notLetter(r rune) bool { return r < 'A' || r > 'Z' }

func (v *validator) dependent(path string, d *Dependent) {
	if d.FullName == nil {
		v.add(path+".fullName", "required")
	} else {
		v.fullName(path+".fullName", d.FullName)
	}
	v.enum(path+".dependentRelation", d.DependentRelation, dependentRelations, true)
	v.ssn(path+".socialSecurityNumber", d.SocialSecurityNumber, false)
	if dob, ok := v.date(path+".dateOfBirth", d.DateOfBirth, false); ok {
		v.notFuture(path+".dateOfBirth", dob)
	}
	v.date(path+".becameDependent", d.BecameDependent, false)
	v.money(path+".dependentEducationExpenses", d.DependentEducationExpenses)
	v.money(path+".grossIncome", d.GrossIncome)
	v.money(path+".netIncome", d.NetIncome)
	v.money(path+".otherIncome", d.OtherIncome)
}

// isCanonicalUUID accepts only the 36-character form: the ID is part of a workflow ID, so
// one application has one spelling.
func isCanonicalUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
