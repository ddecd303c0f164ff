package enrollment_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/enrollmenttest"
)

// sentSummary submits the form through a recording proxy in front of the strict fake and
// returns the va:summary element that went on the wire.
func sentSummary(t *testing.T, app *enrollment.Application, received time.Time) *enrollmenttest.Element {
	t.Helper()
	_, c, seen := enrollmenttest.RecordingES(t)
	if _, err := c.Submit(context.Background(), app, received); err != nil {
		t.Fatalf("Submit: %v", err)
	}
	doc := enrollmenttest.ParseXML(t, (*seen)[0].Body)
	summary := doc.Children[0].Children[0].Children[0].Children[1] // Envelope/Body/submitFormRequest/form/summary
	if summary.Name.Local != "summary" {
		t.Fatalf("no summary where expected: %v", summary.Name)
	}
	var walk func(n *enrollmenttest.Element)
	walk = func(n *enrollmenttest.Element) {
		for _, c := range n.Children {
			if c.Name.Space != "http://jaxws.webservices.esr.med.va.gov/schemas" {
				t.Errorf("%s is in namespace %q, want the eeSummary namespace", c.Name.Local, c.Name.Space)
			}
			walk(c)
		}
	}
	walk(summary)
	return summary
}

type expect map[string][]string

func checkSummary(t *testing.T, s *enrollmenttest.Element, want expect) {
	t.Helper()
	for path, values := range want {
		if got := s.All(path); !reflect.DeepEqual(got, values) && !(len(got) == 0 && len(values) == 0) {
			t.Errorf("%s = %q, want %q", path, got, values)
		}
	}
}

func one(v string) []string { return []string{v} }

var none = []string{}

// The married Veteran: every section. Each expected value is read off the form in
// enrollmenttest/testdata/married.json and vets-api's code tables, by hand.
func TestSummaryOfMarriedVeteran(t *testing.T) {
	app := enrollmenttest.Named(enrollmenttest.Married, testApplicationID)
	s := sentSummary(t, &app, testNow)
	checkSummary(t, s, expect{
		"personInfo/firstName":         one("MARCUS"),
		"personInfo/middleName":        one("ORRIN"),
		"personInfo/lastName":          one("VELLACOTT"),
		"personInfo/suffix":            one("JR."),
		"personInfo/ssnText":           one("301554820"),
		"personInfo/gender":            one("M"),
		"personInfo/dob":               one("02/11/1958"),
		"personInfo/mothersMaidenName": one("Fairweather"),
		"personInfo/placeOfBirthCity":  one("Dayton"),
		"personInfo/placeOfBirthState": one("OH"),

		"demographics/appointmentRequestResponse":                    one("true"),
		"demographics/maritalStatus":                                 one("M"),
		"demographics/ethnicity":                                     one("2135-2"),
		"demographics/races/race":                                    {"2054-5", "2106-3"},
		"demographics/preferredFacility":                             one("552"),
		"demographics/acaIndicator":                                  one("true"),
		"demographics/contactInfo/addresses/address/addressTypeCode": {"P", "R"},
		"demographics/contactInfo/addresses/address[1]/line1":        one("1420 Larkspur Ln"),
		"demographics/contactInfo/addresses/address[1]/line2":        one("Apt 3"),
		"demographics/contactInfo/addresses/address[1]/city":         one("Dayton"),
		"demographics/contactInfo/addresses/address[1]/state":        one("OH"),
		"demographics/contactInfo/addresses/address[1]/zipCode":      one("45402"),
		"demographics/contactInfo/addresses/address[1]/zipPlus4":     one("1234"),
		"demographics/contactInfo/addresses/address[1]/country":      one("USA"),
		"demographics/contactInfo/addresses/address[2]/line1":        one("9 Quarry Hill Rd"),
		"demographics/contactInfo/addresses/address[2]/zipCode":      one("45385"),
		"demographics/contactInfo/addresses/address[2]/zipPlus4":     none,
		"demographics/contactInfo/emails/email/address":              one("m.vellacott@example.com"),
		"demographics/contactInfo/emails/email/type":                 one("1"),
		"demographics/contactInfo/phones/phone/phoneNumber":          {"9375550142", "9375550199"},
		"demographics/contactInfo/phones/phone/type":                 {"1", "4"},

		"enrollmentDeterminationInfo/eligibleForMedicaid":                              one("false"),
		"enrollmentDeterminationInfo/noseThroatRadiumInfo/receivingTreatment":          one("false"),
		"enrollmentDeterminationInfo/serviceConnectionAward/serviceConnectedIndicator": one("true"),
		"enrollmentDeterminationInfo/specialFactors/agentOrangeInd":                    one("false"),
		"enrollmentDeterminationInfo/specialFactors/envContaminantsInd":                one("true"),
		"enrollmentDeterminationInfo/specialFactors/campLejeuneInd":                    one("false"),
		"enrollmentDeterminationInfo/specialFactors/radiationExposureInd":              one("false"),

		"financialsInfo/incomeTest/discloseFinancialInformation":                                                          one("true"),
		"financialsInfo/financialStatement/incomes/income/amount":                                                         {"48250.50", "1200", "300"},
		"financialsInfo/financialStatement/incomes/income/type":                                                           {"7", "13", "10"},
		"financialsInfo/financialStatement/expenses/expense/amount":                                                       {"800", "0", "2400"},
		"financialsInfo/financialStatement/expenses/expense/expenseType":                                                  {"3", "19", "18"},
		"financialsInfo/financialStatement/marriedLastCalendarYear":                                                       one("true"),
		"financialsInfo/financialStatement/numberOfDependentChildren":                                                     one("2"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/incomes/income/amount":          {"3100", "0"},
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/incomes/income/type":            {"7", "13"},
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/expenses/expense/amount":        one("1200"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/expenses/expense/expenseType":   one("16"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/dependentInfo/givenName":        one("TOBIAS"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/dependentInfo/familyName":       one("VELLACOTT"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/dependentInfo/relationship":     one("3"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/dependentInfo/dob":              one("03/14/2008"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/dependentInfo/startDate":        one("03/14/2008"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/dependentInfo/ssns/ssn/ssnText": one("301557734"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/livedWithPatient":               one("true"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/attendedSchool":                 one("true"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/contributedToSupport":           one("false"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[1]/incapableOfSelfSupport":         one("false"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[2]/incomes":                        none,
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[2]/expenses":                       none,
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[2]/dependentInfo/middleName":       one("RAE"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[2]/dependentInfo/relationship":     one("6"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[2]/incapableOfSelfSupport":         one("true"),
		"financialsInfo/financialStatement/dependentFinancialsList/dependentFinancials[2]/contributedToSupport":           one("true"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/incomes/income/amount":                   one("21000"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/incomes/income/type":                     one("7"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/livedWithPatient":                        one("true"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/contributedToSpouseInd":                  one("false"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/givenName":                        one("ROSALIND"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/familyName":                       one("VELLACOTT"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/relationship":                     one("2"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/dob":                              one("09/23/1960"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/startDate":                        one("06/16/1984"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/ssns/ssn/ssnText":                 one("301559911"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/address/line1":                    one("1420 Larkspur Ln"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/address/zipCode":                  one("45402"),
		"financialsInfo/financialStatement/spouseFinancialsList/spouseFinancials/spouse/address/phoneNumber":              one("9375550143"),

		"insuranceList/insurance/companyName":              one("Medicare"),
		"insuranceList/insurance/enrolledInPartA":          one("true"),
		"insuranceList/insurance/insuranceMappingTypeName": one("MDCR"),
		"insuranceList/insurance/partAEffectiveDate":       one("02/01/2023"),
		"insuranceList/insurance/policyNumber":             one("1EG4TE5MK73"),

		"militaryServiceInfo/dischargeDueToDisability":                                                                                          one("true"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/site":                                                         one("552"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/serviceBranch": one("1"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/dischargeType": one("1"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/startDate":     one("08/01/1976"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/endDate":       one("07/31/1996"),

		"prisonerOfWarInfo/powIndicator": one("false"),
		"purpleHeart/indicator":          one("true"),

		"associations/association/contactType":        {"11", "11", "10"},
		"associations/association/relationship":       {"Son", "Stepdaughter", "SPOUSE"},
		"associations/association/givenName":          {"TOBIAS", "IMOGEN", "ROSALIND"},
		"associations/association[3]/address/line1":   one("1420 Larkspur Ln"),
		"associations/association[3]/address/zipCode": one("45402"),

		"relations/relation/relationship":     {"2", "3", "6"},
		"relations/relation/givenName":        {"ROSALIND", "TOBIAS", "IMOGEN"},
		"relations/relation/dob":              {"09/23/1960", "03/14/2008", "11/02/2003"},
		"relations/relation/startDate":        {"06/16/1984", "03/14/2008", "01/10/2005"},
		"relations/relation/ssns/ssn/ssnText": {"301559911", "301557734", "301558845"},

		"consentInfo": none,
	})
}

func TestSummaryOfMinimalVeteran(t *testing.T) {
	app := enrollmenttest.Named(enrollmenttest.Minimal, testApplicationID)
	s := sentSummary(t, &app, testNow)
	checkSummary(t, s, expect{
		"personInfo/firstName":                                       one("QUINN"),
		"personInfo/middleName":                                      none,
		"personInfo/gender":                                          one("F"),
		"personInfo/placeOfBirthState":                               none,
		"demographics/maritalStatus":                                 one("S"),
		"demographics/ethnicity":                                     one("2186-5"),
		"demographics/races":                                         none,
		"demographics/contactInfo/phones":                            none,
		"demographics/contactInfo/addresses/address/addressTypeCode": one("P"),
		"financialsInfo/incomeTest/discloseFinancialInformation":     one("false"),
		"financialsInfo/financialStatement":                          none,
		"insuranceList":                                              none,
		"associations":                                               none,
		"relations":                                                  none,
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/site":                    one("648A4"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes": none,
		"enrollmentDeterminationInfo/eligibleForMedicaid":                                                  one("false"),
	})
}

func TestSummaryOfInsuredVeteran(t *testing.T) {
	app := enrollmenttest.Named(enrollmenttest.Insured, testApplicationID)
	s := sentSummary(t, &app, testNow)
	checkSummary(t, s, expect{
		"insuranceList/insurance/companyName":              {"Cascade Mutual Health", "Puget Dental Plan", "Tri-Harbor Vision"},
		"insuranceList/insurance/insuranceMappingTypeName": {"PI", "PI", "PI"},
		"insuranceList/insurance/policyNumber":             {"CMH-4471920", "PDP-003318"},
		"insuranceList/insurance/groupNumber":              {"G-8812", "THV-22"},
		"insuranceList/insurance/policyHolderName":         {"Delphine Okonkwo-Hale", "Delphine Okonkwo-Hale"},
		"insuranceList/insurance[3]/policyNumber":          none,
		"enrollmentDeterminationInfo/eligibleForMedicaid":  one("true"),
		"demographics/ethnicity":                           one("0000-0"),
		"demographics/races/race":                          one("0000-0"),
		"demographics/maritalStatus":                       one("D"),
		"demographics/contactInfo/phones/phone/type":       one("4"),
		"demographics/contactInfo/emails":                  none,
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/serviceBranch": one("3"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/dischargeType": one("3"),
	})
}

func TestSummaryOfVeteranAbroad(t *testing.T) {
	app := enrollmenttest.Named(enrollmenttest.Foreign, testApplicationID)
	s := sentSummary(t, &app, testNow)
	checkSummary(t, s, expect{
		"demographics/contactInfo/addresses/address[1]/country":      one("DEU"),
		"demographics/contactInfo/addresses/address[1]/provinceCode": one("Bayern"),
		"demographics/contactInfo/addresses/address[1]/postalCode":   one("80337"),
		"demographics/contactInfo/addresses/address[1]/line2":        one("Hinterhaus"),
		"demographics/contactInfo/addresses/address[1]/state":        none,
		"demographics/contactInfo/addresses/address[1]/zipCode":      none,
		"demographics/contactInfo/addresses/address[2]/country":      one("CAN"),
		"demographics/contactInfo/addresses/address[2]/provinceCode": one("QC"),
		"demographics/contactInfo/addresses/address[2]/postalCode":   one("H2X 3K8"),
		"demographics/contactInfo/addresses/address/addressTypeCode": {"P", "R"},
		"personInfo/placeOfBirthState":                               one("FG"),
		"demographics/maritalStatus":                                 one("W"),
		"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/serviceBranch": one("2"),
	})
}

// Rules of vets-api's mapping, each on a small change of a fixture.
func TestSummaryRules(t *testing.T) {
	amount := func(v float64) *float64 { return &v }
	t.Run("expenses are capped at the income", func(t *testing.T) {
		app := enrollmenttest.Named(enrollmenttest.Married, testApplicationID)
		f := &app.Form
		f.VeteranGrossIncome, f.VeteranNetIncome, f.VeteranOtherIncome = amount(1000), nil, nil
		f.DeductibleEducationExpenses, f.DeductibleFuneralExpenses, f.DeductibleMedicalExpenses = amount(800), amount(500), amount(100)
		s := sentSummary(t, &app, testNow)
		checkSummary(t, s, expect{
			"financialsInfo/financialStatement/expenses/expense/amount":      {"800", "200"},
			"financialsInfo/financialStatement/expenses/expense/expenseType": {"3", "19"},
		})
	})
	t.Run("a discharge still ahead has no discharge type", func(t *testing.T) {
		app := enrollmenttest.Named(enrollmenttest.Insured, testApplicationID)
		app.Form.LastDischargeDate = "2026-06-30"
		s := sentSummary(t, &app, testNow)
		checkSummary(t, s, expect{
			"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/dischargeType": none,
			"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/endDate":       one("06/30/2026"),
		})
	})
	t.Run("other branch and discharge", func(t *testing.T) {
		app := enrollmenttest.Named(enrollmenttest.Insured, testApplicationID)
		app.Form.LastServiceBranch, app.Form.DischargeType = "other", "other"
		s := sentSummary(t, &app, testNow)
		checkSummary(t, s, expect{
			"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/serviceBranch": one("6"),
			"militaryServiceInfo/militaryServiceSiteRecords/militaryServiceSiteRecord/militaryServiceEpisodes/militaryServiceEpisode/dischargeType": one("4"),
		})
	})
	t.Run("a spouse at another address, finances not disclosed", func(t *testing.T) {
		app := enrollmenttest.Named(enrollmenttest.Married, testApplicationID)
		app.Form.DiscloseFinancialInformation, app.Form.SameAddress = false, false
		app.Form.SpouseAddress = &enrollment.Address{Street: "4 Elm Ct", City: "Kettering", State: "OH", PostalCode: "45429", Country: "USA"}
		s := sentSummary(t, &app, testNow)
		checkSummary(t, s, expect{
			"financialsInfo/financialStatement":                      none,
			"associations/association/contactType":                   {"11", "11"},
			"relations/relation/relationship":                        {"2", "3", "6"},
			"financialsInfo/incomeTest/discloseFinancialInformation": one("false"),
		})
	})
	t.Run("long names are cut to what ES takes", func(t *testing.T) {
		app := enrollmenttest.Named(enrollmenttest.Minimal, testApplicationID)
		app.Form.VeteranFullName.Last = "Abcdefghijklmnopqrstuvwxyzabcdefgh" // 34
		app.Form.MothersMaidenName = "smith"
		s := sentSummary(t, &app, testNow)
		checkSummary(t, s, expect{
			"personInfo/lastName":          one("ABCDEFGHIJKLMNOPQRSTUVWXYZABCD"),
			"personInfo/mothersMaidenName": one("Smith"),
		})
	})
}

// The application's envelope parts: appDate is the day vets.gov received it in Central
// time, the same on every attempt; a signed-in Veteran is identified at assurance level 2.
func TestSubmitFormRequestParts(t *testing.T) {
	_, c, seen := enrollmenttest.RecordingES(t)
	app := enrollmenttest.Named(enrollmenttest.Minimal, testApplicationID)
	// 00:30 in New York on March 3 is still March 2 in Central time.
	received := time.Date(2026, 3, 3, 0, 30, 0, 0, newYork)
	if _, err := c.Submit(context.Background(), &app, received); err != nil {
		t.Fatal(err)
	}
	req := enrollmenttest.ParseXML(t, (*seen)[0].Body).Children[0].Children[0]
	if got := req.All("form/applications/applicationInfo/appDate"); !reflect.DeepEqual(got, one("2026-03-02")) {
		t.Errorf("appDate = %q", got)
	}
	if got := req.All("identity/authenticationLevel/type"); !reflect.DeepEqual(got, one("100")) {
		t.Errorf("anonymous authenticationLevel type = %q", got)
	}
	if got := req.All("identity/veteranIdentifier"); len(got) != 0 {
		t.Errorf("anonymous request has a veteranIdentifier")
	}

	app.VeteranIdentifier = &enrollment.VeteranIdentifier{Type: enrollment.VeteranIdentifierICN, Value: "1012667145V762142"}
	if _, err := c.Submit(context.Background(), &app, received); err != nil {
		t.Fatal(err)
	}
	req = enrollmenttest.ParseXML(t, (*seen)[1].Body).Children[0].Children[0]
	for path, want := range map[string]string{
		"identity/veteranIdentifier/type":    "1",
		"identity/veteranIdentifier/value":   "1012667145V762142",
		"identity/authenticationLevel/type":  "102",
		"identity/authenticationLevel/value": "Assurance Level 2",
	} {
		if got := req.All(path); !reflect.DeepEqual(got, one(want)) {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}
