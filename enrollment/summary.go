package enrollment

// The eeSummary as hcaops writes it: the types of voa-voaSvc-xsd-1.xml that a 10-10EZ fills,
// with their elements in the XSD's order (xs:all types accept any order; xs:sequence types,
// personInfo and relationInfo, require it). Every element is optional in the XSD; nil or
// empty fields are left out. The summary's children are in the eeSummary namespace and
// their descendants inherit it.

// eeSummaryNS is the namespace of the eeSummary types.
const eeSummaryNS = "http://jaxws.webservices.esr.med.va.gov/schemas"

type eeSummary struct {
	Associations                *eeAssociations                `xml:"http://jaxws.webservices.esr.med.va.gov/schemas associations,omitempty"`
	Demographics                *eeDemographics                `xml:"http://jaxws.webservices.esr.med.va.gov/schemas demographics,omitempty"`
	EnrollmentDeterminationInfo *eeEnrollmentDeterminationInfo `xml:"http://jaxws.webservices.esr.med.va.gov/schemas enrollmentDeterminationInfo,omitempty"`
	FinancialsInfo              *eeFinancialsInfo              `xml:"http://jaxws.webservices.esr.med.va.gov/schemas financialsInfo,omitempty"`
	InsuranceList               *eeInsuranceList               `xml:"http://jaxws.webservices.esr.med.va.gov/schemas insuranceList,omitempty"`
	MilitaryServiceInfo         *eeMilitaryServiceInfo         `xml:"http://jaxws.webservices.esr.med.va.gov/schemas militaryServiceInfo,omitempty"`
	PrisonerOfWarInfo           *eePrisonerOfWarInfo           `xml:"http://jaxws.webservices.esr.med.va.gov/schemas prisonerOfWarInfo,omitempty"`
	PurpleHeart                 *eePurpleHeart                 `xml:"http://jaxws.webservices.esr.med.va.gov/schemas purpleHeart,omitempty"`
	Relations                   *eeRelations                   `xml:"http://jaxws.webservices.esr.med.va.gov/schemas relations,omitempty"`
	PersonInfo                  *eePersonInfo                  `xml:"http://jaxws.webservices.esr.med.va.gov/schemas personInfo,omitempty"`
}

type eeAssociations struct {
	Association []eeAssociation `xml:"association"`
}

type eeAssociation struct {
	Address      *eeAddress `xml:"address,omitempty"`
	ContactType  string     `xml:"contactType,omitempty"`
	FamilyName   string     `xml:"familyName,omitempty"`
	GivenName    string     `xml:"givenName,omitempty"`
	MiddleName   string     `xml:"middleName,omitempty"`
	Relationship string     `xml:"relationship,omitempty"`
	Suffix       string     `xml:"suffix,omitempty"`
}

// eeAddress is addressInfo (baseAddressInfo has the same elements up to zipPlus4).
type eeAddress struct {
	City            string `xml:"city,omitempty"`
	Country         string `xml:"country,omitempty"`
	Line1           string `xml:"line1,omitempty"`
	Line2           string `xml:"line2,omitempty"`
	Line3           string `xml:"line3,omitempty"`
	PostalCode      string `xml:"postalCode,omitempty"`
	ProvinceCode    string `xml:"provinceCode,omitempty"`
	State           string `xml:"state,omitempty"`
	ZipCode         string `xml:"zipCode,omitempty"`
	ZipPlus4        string `xml:"zipPlus4,omitempty"`
	AddressTypeCode string `xml:"addressTypeCode,omitempty"`
	PhoneNumber     string `xml:"phoneNumber,omitempty"`
}

type eeDemographics struct {
	AppointmentRequestResponse *bool          `xml:"appointmentRequestResponse,omitempty"`
	ContactInfo                *eeContactInfo `xml:"contactInfo,omitempty"`
	Ethnicity                  string         `xml:"ethnicity,omitempty"`
	MaritalStatus              string         `xml:"maritalStatus,omitempty"`
	PreferredFacility          string         `xml:"preferredFacility,omitempty"`
	Races                      *eeRaces       `xml:"races,omitempty"`
	ACAIndicator               *bool          `xml:"acaIndicator,omitempty"`
}

type eeContactInfo struct {
	Addresses *eeAddresses `xml:"addresses,omitempty"`
	Emails    *eeEmails    `xml:"emails,omitempty"`
	Phones    *eePhones    `xml:"phones,omitempty"`
}

type eeAddresses struct {
	Address []eeAddress `xml:"address"`
}

type eeEmails struct {
	Email []eeEmail `xml:"email"`
}

type eeEmail struct {
	Address string `xml:"address"`
	Type    string `xml:"type"`
}

type eePhones struct {
	Phone []eePhone `xml:"phone"`
}

type eePhone struct {
	PhoneNumber string `xml:"phoneNumber"`
	Type        string `xml:"type"`
}

type eeRaces struct {
	Race []string `xml:"race"`
}

type eeEnrollmentDeterminationInfo struct {
	EligibleForMedicaid    *bool                     `xml:"eligibleForMedicaid,omitempty"`
	NoseThroatRadiumInfo   *eeNoseThroatRadiumInfo   `xml:"noseThroatRadiumInfo,omitempty"`
	ServiceConnectionAward *eeServiceConnectionAward `xml:"serviceConnectionAward,omitempty"`
	SpecialFactors         *eeSpecialFactors         `xml:"specialFactors,omitempty"`
}

type eeNoseThroatRadiumInfo struct {
	ReceivingTreatment *bool `xml:"receivingTreatment,omitempty"`
}

type eeServiceConnectionAward struct {
	ServiceConnectedIndicator *bool `xml:"serviceConnectedIndicator,omitempty"`
}

type eeSpecialFactors struct {
	AgentOrangeInd       *bool `xml:"agentOrangeInd,omitempty"`
	EnvContaminantsInd   *bool `xml:"envContaminantsInd,omitempty"`
	CampLejeuneInd       *bool `xml:"campLejeuneInd,omitempty"`
	RadiationExposureInd *bool `xml:"radiationExposureInd,omitempty"`
}

type eeFinancialsInfo struct {
	FinancialStatement *eeFinancialStatement `xml:"financialStatement,omitempty"`
	IncomeTest         *eeIncomeTest         `xml:"incomeTest,omitempty"`
}

type eeIncomeTest struct {
	DiscloseFinancialInformation bool `xml:"discloseFinancialInformation"`
}

type eeFinancialStatement struct {
	Expenses                  *eeExpenses            `xml:"expenses,omitempty"`
	Incomes                   *eeIncomes             `xml:"incomes,omitempty"`
	DependentFinancialsList   *eeDependentFinancials `xml:"dependentFinancialsList,omitempty"`
	MarriedLastCalendarYear   *bool                  `xml:"marriedLastCalendarYear,omitempty"`
	NumberOfDependentChildren *int                   `xml:"numberOfDependentChildren,omitempty"`
	SpouseFinancialsList      *eeSpouseFinancials    `xml:"spouseFinancialsList,omitempty"`
}

type eeExpenses struct {
	Expense []eeExpense `xml:"expense"`
}

type eeExpense struct {
	Amount      string `xml:"amount"`
	ExpenseType string `xml:"expenseType"`
}

type eeIncomes struct {
	Income []eeIncome `xml:"income"`
}

type eeIncome struct {
	Amount string `xml:"amount"`
	Type   string `xml:"type"`
}

type eeDependentFinancials struct {
	DependentFinancials []eeDependentFinancialsInfo `xml:"dependentFinancials"`
}

type eeDependentFinancialsInfo struct {
	Expenses               *eeExpenses      `xml:"expenses,omitempty"`
	Incomes                *eeIncomes       `xml:"incomes,omitempty"`
	LivedWithPatient       *bool            `xml:"livedWithPatient,omitempty"`
	AttendedSchool         *bool            `xml:"attendedSchool,omitempty"`
	ContributedToSupport   *bool            `xml:"contributedToSupport,omitempty"`
	DependentInfo          *eeDependentInfo `xml:"dependentInfo,omitempty"`
	IncapableOfSelfSupport *bool            `xml:"incapableOfSelfSupport,omitempty"`
}

// eeDependentInfo is dependentInfo: the dependent's relationInfo elements, then suffix.
type eeDependentInfo struct {
	eeRelation
	Suffix string `xml:"suffix,omitempty"`
}

type eeSSNs struct {
	SSN []eeSSN `xml:"ssn"`
}

type eeSSN struct {
	SSNText string `xml:"ssnText"`
}

type eeSpouseFinancials struct {
	SpouseFinancials []eeSpouseFinancialsInfo `xml:"spouseFinancials"`
}

type eeSpouseFinancialsInfo struct {
	Incomes                *eeIncomes    `xml:"incomes,omitempty"`
	LivedWithPatient       *bool         `xml:"livedWithPatient,omitempty"`
	Spouse                 *eeSpouseInfo `xml:"spouse,omitempty"`
	ContributedToSpouseInd *bool         `xml:"contributedToSpouseInd,omitempty"`
}

// eeSpouseInfo is spouseInfo: the spouse's relationInfo elements, then address and suffix.
type eeSpouseInfo struct {
	eeRelation
	Address *eeAddress `xml:"address,omitempty"`
	Suffix  string     `xml:"suffix,omitempty"`
}

type eeInsuranceList struct {
	Insurance []eeInsurance `xml:"insurance"`
}

type eeInsurance struct {
	CompanyName              string `xml:"companyName,omitempty"`
	EnrolledInPartA          *bool  `xml:"enrolledInPartA,omitempty"`
	GroupNumber              string `xml:"groupNumber,omitempty"`
	InsuranceMappingTypeName string `xml:"insuranceMappingTypeName,omitempty"`
	PartAEffectiveDate       string `xml:"partAEffectiveDate,omitempty"`
	PolicyHolderName         string `xml:"policyHolderName,omitempty"`
	PolicyNumber             string `xml:"policyNumber,omitempty"`
}

type eeMilitaryServiceInfo struct {
	DischargeDueToDisability   *bool                   `xml:"dischargeDueToDisability,omitempty"`
	MilitaryServiceSiteRecords *eeMilitaryServiceSites `xml:"militaryServiceSiteRecords,omitempty"`
}

type eeMilitaryServiceSites struct {
	MilitaryServiceSiteRecord []eeMilitaryServiceSite `xml:"militaryServiceSiteRecord"`
}

type eeMilitaryServiceSite struct {
	MilitaryServiceEpisodes *eeMilitaryServiceEpisodes `xml:"militaryServiceEpisodes,omitempty"`
	Site                    string                     `xml:"site,omitempty"`
}

type eeMilitaryServiceEpisodes struct {
	MilitaryServiceEpisode []eeMilitaryServiceEpisode `xml:"militaryServiceEpisode"`
}

type eeMilitaryServiceEpisode struct {
	EndDate       string `xml:"endDate,omitempty"`
	ServiceBranch string `xml:"serviceBranch,omitempty"`
	StartDate     string `xml:"startDate,omitempty"`
	DischargeType string `xml:"dischargeType,omitempty"`
}

type eePrisonerOfWarInfo struct {
	POWIndicator string `xml:"powIndicator"` // xs:string in the XSD; "true" or "false"
}

type eePurpleHeart struct {
	Indicator bool `xml:"indicator"`
}

type eeRelations struct {
	Relation []eeRelation `xml:"relation"`
}

// eeRelation is relationInfo, an xs:sequence: the field order is the XSD's. dependentInfo
// and spouseInfo begin with the same elements, so they embed it (encoding/xml writes an
// embedded struct's fields in place).
type eeRelation struct {
	DOB          string  `xml:"dob,omitempty"`
	FamilyName   string  `xml:"familyName,omitempty"`
	GivenName    string  `xml:"givenName,omitempty"`
	MiddleName   string  `xml:"middleName,omitempty"`
	Relationship string  `xml:"relationship,omitempty"`
	SSNs         *eeSSNs `xml:"ssns,omitempty"`
	StartDate    string  `xml:"startDate,omitempty"`
}

// eePersonInfo is personInfo, an xs:sequence: the field order is the XSD's.
type eePersonInfo struct {
	FirstName         string `xml:"firstName,omitempty"`
	MiddleName        string `xml:"middleName,omitempty"`
	LastName          string `xml:"lastName,omitempty"`
	Suffix            string `xml:"suffix,omitempty"`
	SSNText           string `xml:"ssnText,omitempty"`
	Gender            string `xml:"gender,omitempty"`
	DOB               string `xml:"dob,omitempty"`
	MothersMaidenName string `xml:"mothersMaidenName,omitempty"`
	PlaceOfBirthCity  string `xml:"placeOfBirthCity,omitempty"`
	PlaceOfBirthState string `xml:"placeOfBirthState,omitempty"`
}
