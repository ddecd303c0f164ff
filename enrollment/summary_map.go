package enrollment

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Lengths ES takes for the Veteran's names and place of birth (vets-api truncates to these).
const (
	esMaxName          = 30
	esMaxMaidenName    = 35
	esMaxBirthCityName = 20
)

// newSummary maps a validated form to the eeSummary ES expects. today is the submission
// date in vets.gov's Central time (YYYY-MM-DD), the reference vets-api uses for "a discharge
// in the future". The README's mapping table documents every line of this file.
func newSummary(f *Form, today string) *eeSummary {
	return &eeSummary{
		Associations:                associations(f),
		Demographics:                demographics(f),
		EnrollmentDeterminationInfo: enrollmentDetermination(f),
		FinancialsInfo:              financials(f),
		InsuranceList:               insuranceList(f),
		MilitaryServiceInfo:         militaryService(f, today),
		PrisonerOfWarInfo:           &eePrisonerOfWarInfo{POWIndicator: fmt.Sprint(f.IsFormerPOW)},
		PurpleHeart:                 &eePurpleHeart{Indicator: f.PurpleHeartRecipient},
		Relations:                   relations(f),
		PersonInfo:                  personInfo(f),
	}
}

func personInfo(f *Form) *eePersonInfo {
	p := &eePersonInfo{
		FirstName:         upperName(f.VeteranFullName.First, esMaxName),
		MiddleName:        upperName(f.VeteranFullName.Middle, esMaxName),
		LastName:          upperName(f.VeteranFullName.Last, esMaxName),
		Suffix:            upperName(f.VeteranFullName.Suffix, 0),
		SSNText:           f.VeteranSocialSecurityNumber,
		Gender:            f.Gender,
		DOB:               monthDayYear(f.VeteranDateOfBirth),
		MothersMaidenName: capitalized(f.MothersMaidenName, esMaxMaidenName),
		PlaceOfBirthCity:  capitalized(f.CityOfBirth, esMaxBirthCityName),
		PlaceOfBirthState: f.StateOfBirth,
	}
	if f.StateOfBirth == "Other" {
		p.PlaceOfBirthState = birthStateOutsideUS
	}
	return p
}

func demographics(f *Form) *eeDemographics {
	d := &eeDemographics{
		AppointmentRequestResponse: ptr(f.WantsInitialVAContact),
		ContactInfo:                &eeContactInfo{},
		MaritalStatus:              unknownMaritalStatusCode,
		PreferredFacility:          f.VAMedicalFacility,
		ACAIndicator:               ptr(f.IsEssentialACACoverage),
	}
	if code, ok := maritalStatusCodes[f.MaritalStatus]; ok {
		d.MaritalStatus = code
	}
	addresses := &eeAddresses{}
	if f.VeteranAddress != nil {
		a := esAddress(f.VeteranAddress)
		a.AddressTypeCode = addressTypePermanent
		addresses.Address = append(addresses.Address, *a)
	}
	if f.VeteranHomeAddress != nil {
		a := esAddress(f.VeteranHomeAddress)
		a.AddressTypeCode = addressTypeResidence
		addresses.Address = append(addresses.Address, *a)
	}
	if len(addresses.Address) > 0 {
		d.ContactInfo.Addresses = addresses
	}
	if f.Email != "" {
		d.ContactInfo.Emails = &eeEmails{Email: []eeEmail{{Address: f.Email, Type: emailTypePersonal}}}
	}
	var phones []eePhone
	if f.HomePhone != "" {
		phones = append(phones, eePhone{PhoneNumber: f.HomePhone, Type: phoneTypeHome})
	}
	if f.MobilePhone != "" {
		phones = append(phones, eePhone{PhoneNumber: f.MobilePhone, Type: phoneTypeMobile})
	}
	if len(phones) > 0 {
		d.ContactInfo.Phones = &eePhones{Phone: phones}
	}

	switch {
	case f.HasDemographicNoAnswer:
		d.Ethnicity = declinedToAnswer
		d.Races = &eeRaces{Race: []string{declinedToAnswer}}
		return d
	case f.IsSpanishHispanicLatino != nil && *f.IsSpanishHispanicLatino:
		d.Ethnicity = ethnicityHispanicOrLatino
	case f.IsSpanishHispanicLatino != nil:
		d.Ethnicity = ethnicityNotHispanicOrLatino
	}
	var races []string
	for _, r := range []struct {
		on   bool
		code string
	}{
		{f.IsAmericanIndianOrAlaskanNative, raceAmericanIndianOrAlaskaNative},
		{f.IsAsian, raceAsian},
		{f.IsBlackOrAfricanAmerican, raceBlackOrAfricanAmerican},
		{f.IsNativeHawaiianOrOtherPacificIslander, raceNativeHawaiianOrOtherPacificIslander},
		{f.IsWhite, raceWhite},
	} {
		if r.on {
			races = append(races, r.code)
		}
	}
	if len(races) > 0 {
		d.Races = &eeRaces{Race: races}
	}
	return d
}

// esAddress writes a form address the way ES reads it: a US address has a state, a
// 5-digit zipCode and a zipPlus4; any other has a provinceCode and a free postalCode.
func esAddress(a *Address) *eeAddress {
	out := &eeAddress{City: a.City, Country: a.Country, Line1: a.Street, Line2: a.Street2, Line3: a.Street3}
	if a.Country == "USA" {
		out.State = a.State
		zip := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, a.PostalCode)
		if len(zip) >= 5 {
			out.ZipCode = zip[:5]
		}
		if len(zip) == 9 {
			out.ZipPlus4 = zip[5:]
		}
		return out
	}
	out.ProvinceCode = a.State
	if out.ProvinceCode == "" {
		out.ProvinceCode = a.ProvinceCode
	}
	out.PostalCode = a.PostalCode
	return out
}

func enrollmentDetermination(f *Form) *eeEnrollmentDeterminationInfo {
	return &eeEnrollmentDeterminationInfo{
		EligibleForMedicaid:    ptr(f.IsMedicaidEligible != nil && *f.IsMedicaidEligible),
		NoseThroatRadiumInfo:   &eeNoseThroatRadiumInfo{ReceivingTreatment: ptr(f.RadiumTreatments)},
		ServiceConnectionAward: &eeServiceConnectionAward{ServiceConnectedIndicator: ptr(f.VACompensationType == "highDisability")},
		SpecialFactors: &eeSpecialFactors{
			AgentOrangeInd:       ptr(f.VietnamService || f.ExposedToAgentOrange),
			EnvContaminantsInd:   ptr(f.SWAsiaCombat),
			CampLejeuneInd:       ptr(f.CampLejeune),
			RadiationExposureInd: ptr(f.ExposedToRadiation || f.RadiationCleanupEfforts),
		},
	}
}

func financials(f *Form) *eeFinancialsInfo {
	if !f.DiscloseFinancialInformation {
		return &eeFinancialsInfo{IncomeTest: &eeIncomeTest{DiscloseFinancialInformation: false}}
	}
	incomes, income := incomeList(f.VeteranGrossIncome, f.VeteranNetIncome, f.VeteranOtherIncome)
	s := &eeFinancialStatement{
		Expenses: expenseList(income, []expenseAnswer{
			{f.DeductibleEducationExpenses, expenseEducation},
			{f.DeductibleFuneralExpenses, expenseFuneral},
			{f.DeductibleMedicalExpenses, expenseMedical},
		}),
		Incomes:                   incomes,
		MarriedLastCalendarYear:   ptr(f.MaritalStatus == "Married"),
		NumberOfDependentChildren: ptr(len(f.Dependents)),
	}
	if len(f.Dependents) > 0 {
		list := &eeDependentFinancials{}
		for i := range f.Dependents {
			d := &f.Dependents[i]
			in, total := incomeList(d.GrossIncome, d.NetIncome, d.OtherIncome)
			list.DependentFinancials = append(list.DependentFinancials, eeDependentFinancialsInfo{
				Expenses:               expenseList(total, []expenseAnswer{{d.DependentEducationExpenses, expenseDependentEducation}}),
				Incomes:                in,
				LivedWithPatient:       ptr(d.CohabitedLastYear),
				AttendedSchool:         ptr(d.AttendedSchoolLastYear),
				ContributedToSupport:   ptr(d.ReceivedSupportLastYear),
				DependentInfo:          dependentInfo(d),
				IncapableOfSelfSupport: ptr(d.DisabledBefore18),
			})
		}
		s.DependentFinancialsList = list
	}
	if f.Married() && f.SpouseFullName != nil {
		spouseIncomes, _ := incomeList(f.SpouseGrossIncome, f.SpouseNetIncome, f.SpouseOtherIncome)
		s.SpouseFinancialsList = &eeSpouseFinancials{SpouseFinancials: []eeSpouseFinancialsInfo{{
			Incomes:                spouseIncomes,
			LivedWithPatient:       ptr(f.CohabitedLastYear),
			Spouse:                 spouseInfo(f),
			ContributedToSpouseInd: ptr(f.ProvideSupportLastYear),
		}}}
	}
	return &eeFinancialsInfo{FinancialStatement: s, IncomeTest: &eeIncomeTest{DiscloseFinancialInformation: true}}
}

// spouseAddress is the spouse's address, or the Veteran's when the form says they share it
// (or gives none).
func spouseAddress(f *Form) *Address {
	if f.SpouseAddress != nil && !f.SameAddress {
		return f.SpouseAddress
	}
	return f.VeteranAddress
}

func spouseInfo(f *Form) *eeSpouseInfo {
	s := &eeSpouseInfo{eeRelation: spouseRelation(f), Suffix: upperName(f.SpouseFullName.Suffix, 0)}
	if a := spouseAddress(f); a != nil {
		s.Address = esAddress(a)
		s.Address.PhoneNumber = f.SpousePhone
	}
	return s
}

func dependentInfo(d *Dependent) *eeDependentInfo {
	return &eeDependentInfo{eeRelation: dependentRelation(d), Suffix: upperName(d.FullName.Suffix, 0)}
}

// spouseRelation is who the spouse is: the relation, and the start of spouseInfo.
func spouseRelation(f *Form) eeRelation {
	n := f.SpouseFullName
	return eeRelation{
		DOB:          monthDayYear(f.SpouseDateOfBirth),
		FamilyName:   upperName(n.Last, 0),
		GivenName:    upperName(n.First, 0),
		MiddleName:   upperName(n.Middle, 0),
		Relationship: spouseRelationCode,
		SSNs:         ssns(f.SpouseSocialSecurityNumber),
		StartDate:    monthDayYear(f.DateOfMarriage),
	}
}

// dependentRelation is who the dependent is: the relation, and the start of dependentInfo.
func dependentRelation(d *Dependent) eeRelation {
	return eeRelation{
		DOB:          monthDayYear(d.DateOfBirth),
		FamilyName:   upperName(d.FullName.Last, 0),
		GivenName:    upperName(d.FullName.First, 0),
		MiddleName:   upperName(d.FullName.Middle, 0),
		Relationship: dependentRelationCodes[d.DependentRelation],
		SSNs:         ssns(d.SocialSecurityNumber),
		StartDate:    monthDayYear(d.BecameDependent),
	}
}

func ssns(ssn string) *eeSSNs {
	if ssn == "" {
		return nil
	}
	return &eeSSNs{SSN: []eeSSN{{SSNText: ssn}}}
}

// incomeList is the gross, net and other income answered, in that order, and their total
// in cents.
func incomeList(gross, net, other *float64) (*eeIncomes, int64) {
	var out []eeIncome
	var total int64
	for _, in := range []struct {
		v    *float64
		code string
	}{{gross, incomeGross}, {net, incomeNet}, {other, incomeOther}} {
		if in.v != nil {
			c := cents(*in.v)
			total += c
			out = append(out, eeIncome{Amount: formatCents(c), Type: in.code})
		}
	}
	if len(out) == 0 {
		return nil, 0
	}
	return &eeIncomes{Income: out}, total
}

type expenseAnswer struct {
	v    *float64
	code string
}

// expenseList lists the expenses answered, in order, capped so that together they never
// exceed the incomes: the expense that crosses the total is cut to what is left and the
// rest are dropped (ES refuses deductible expenses above income, and vets-api caps them so).
func expenseList(income int64, answers []expenseAnswer) *eeExpenses {
	var out []eeExpense
	var total int64
	for _, a := range answers {
		if a.v == nil {
			continue
		}
		amount := cents(*a.v)
		if total+amount > income {
			out = append(out, eeExpense{Amount: formatCents(income - total), ExpenseType: a.code})
			break
		}
		total += amount
		out = append(out, eeExpense{Amount: formatCents(amount), ExpenseType: a.code})
	}
	if len(out) == 0 {
		return nil
	}
	return &eeExpenses{Expense: out}
}

func insuranceList(f *Form) *eeInsuranceList {
	var out []eeInsurance
	for _, p := range f.Providers {
		out = append(out, eeInsurance{
			CompanyName:              p.InsuranceName,
			GroupNumber:              p.InsuranceGroupCode,
			InsuranceMappingTypeName: insurancePrivate,
			PolicyHolderName:         p.InsurancePolicyHolderName,
			PolicyNumber:             p.InsurancePolicyNumber,
		})
	}
	if f.IsEnrolledMedicarePartA {
		out = append(out, eeInsurance{
			CompanyName:              medicareCompany,
			EnrolledInPartA:          ptr(true),
			InsuranceMappingTypeName: insuranceMedicare,
			PartAEffectiveDate:       monthDayYear(f.MedicarePartAEffectiveDate),
			PolicyNumber:             f.MedicareClaimNumber,
		})
	}
	if len(out) == 0 {
		return nil
	}
	return &eeInsuranceList{Insurance: out}
}

func militaryService(f *Form, today string) *eeMilitaryServiceInfo {
	site := eeMilitaryServiceSite{Site: f.VAMedicalFacility}
	if f.LastServiceBranch != "" {
		e := eeMilitaryServiceEpisode{
			EndDate:       monthDayYear(f.LastDischargeDate),
			ServiceBranch: otherServiceBranchCode,
			StartDate:     monthDayYear(f.LastEntryDate),
			DischargeType: otherDischargeTypeCode,
		}
		if code, ok := serviceBranchCodes[f.LastServiceBranch]; ok {
			e.ServiceBranch = code
		}
		if code, ok := dischargeTypeCodes[f.DischargeType]; ok {
			e.DischargeType = code
		}
		if f.LastDischargeDate > today {
			// Still serving: there is no discharge type yet.
			e.DischargeType = ""
		}
		site.MilitaryServiceEpisodes = &eeMilitaryServiceEpisodes{MilitaryServiceEpisode: []eeMilitaryServiceEpisode{e}}
	}
	return &eeMilitaryServiceInfo{
		DischargeDueToDisability:   ptr(f.DisabledInLineOfDuty),
		MilitaryServiceSiteRecords: &eeMilitaryServiceSites{MilitaryServiceSiteRecord: []eeMilitaryServiceSite{site}},
	}
}

// associations are the dependents (contact type Dependent) and, for a married Veteran who
// discloses finances, the spouse (contact type Spouse), as vets-api writes them.
func associations(f *Form) *eeAssociations {
	var out []eeAssociation
	for _, d := range f.Dependents {
		out = append(out, association(contactTypeDependent, d.DependentRelation, d.FullName))
	}
	if f.Married() && f.DiscloseFinancialInformation && f.SpouseFullName != nil {
		a := association(contactTypeSpouse, spouseAssociationRelationship, f.SpouseFullName)
		if addr := spouseAddress(f); addr != nil {
			a.Address = esAddress(addr)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil
	}
	return &eeAssociations{Association: out}
}

func association(contactType, relationship string, n *FullName) eeAssociation {
	return eeAssociation{
		ContactType:  contactType,
		FamilyName:   upperName(n.Last, 0),
		GivenName:    upperName(n.First, 0),
		MiddleName:   upperName(n.Middle, 0),
		Relationship: relationship,
		Suffix:       upperName(n.Suffix, 0),
	}
}

// relations are the spouse and the dependents as the Veteran's relations (relationInfo):
// who they are, whatever the financial disclosure. vets-api sends none; see the README.
func relations(f *Form) *eeRelations {
	var out []eeRelation
	if f.Married() && f.SpouseFullName != nil {
		out = append(out, spouseRelation(f))
	}
	for i := range f.Dependents {
		out = append(out, dependentRelation(&f.Dependents[i]))
	}
	if len(out) == 0 {
		return nil
	}
	return &eeRelations{Relation: out}
}

// monthDayYear writes a form date (YYYY-MM-DD) as ES's MM/DD/YYYY; "" stays "".
func monthDayYear(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return d.Format("01/02/2006")
}

// upperName is a name as ES stores it: upper case, at most max characters (0: no limit).
func upperName(s string, max int) string {
	return strings.ToUpper(truncate(strings.TrimSpace(s), max))
}

// capitalized is free text with its first letter in upper case, at most max characters.
func capitalized(s string, max int) string {
	s = truncate(strings.TrimSpace(s), max)
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

func truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}

// Amounts are handled in whole cents so that capping expenses is exact.
func cents(v float64) int64 { return int64(math.Round(v * 100)) }

func formatCents(c int64) string {
	if c%100 == 0 {
		return fmt.Sprint(c / 100)
	}
	return fmt.Sprintf("%d.%02d", c/100, c%100)
}

func ptr[T any](v T) *T { return &v }
