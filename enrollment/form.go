package enrollment

// Application is one 10-10EZ health care application as hcaops keeps it: our own reference
// and the form exactly as the va.gov front end posts it. It is one type so that a payload
// codec can encrypt it as a whole; almost every field is PII, and the type and its parts
// redact themselves when printed or logged (see redact.go). Only ApplicationID is shown.
type Application struct {
	// ApplicationID is vets.gov's reference for the application (a UUID, not PII). It names
	// the submission workflow; it is not part of the form and ES never sees it.
	ApplicationID string `json:"applicationId"`
	// VeteranIdentifier is the signed-in Veteran's ICN or EDIPI, from vets.gov's session, not
	// from the form. Absent for an anonymous application.
	VeteranIdentifier *VeteranIdentifier `json:"veteranIdentifier,omitempty"`
	// Form is the va.gov 10-10EZ (vets-json-schema dist/10-10EZ-schema.json).
	Form Form `json:"form"`
}

// VeteranIdentifier says who the signed-in Veteran is, as ES's identity/veteranIdentifier.
type VeteranIdentifier struct {
	Type  int    `json:"type"` // VeteranIdentifierICN or VeteranIdentifierEDIPI
	Value string `json:"value"`
}

// Identity types of ES's veteranIdentifier (the XSD also knows 3 USAA and 4 SEC ID, which
// vets.gov never has).
const (
	VeteranIdentifierICN   = 1
	VeteranIdentifierEDIPI = 2
)

// Form is the va.gov 10-10EZ form, field for field as the front end posts it. Booleans the
// schema requires are pointers, so that "absent" is told apart from "false"; amounts are
// pointers, so that "0" is told apart from "not answered".
type Form struct {
	Attachments []Attachment `json:"attachments,omitempty"`

	VeteranFullName             FullName `json:"veteranFullName"`
	MothersMaidenName           string   `json:"mothersMaidenName,omitempty"`
	VeteranSocialSecurityNumber string   `json:"veteranSocialSecurityNumber"`
	Gender                      string   `json:"gender"` // F or M
	CityOfBirth                 string   `json:"cityOfBirth,omitempty"`
	StateOfBirth                string   `json:"stateOfBirth,omitempty"` // a US state code or "Other"
	VeteranDateOfBirth          string   `json:"veteranDateOfBirth"`     // YYYY-MM-DD
	MaritalStatus               string   `json:"maritalStatus,omitempty"`

	VACompensationType     string `json:"vaCompensationType,omitempty"` // lowDisability, highDisability, none
	VAPensionType          string `json:"vaPensionType,omitempty"`      // Yes, No
	IsEssentialACACoverage bool   `json:"isEssentialAcaCoverage,omitempty"`
	VAMedicalFacility      string `json:"vaMedicalFacility"` // VA station number, e.g. 648A4
	WantsInitialVAContact  bool   `json:"wantsInitialVaContact,omitempty"`

	IsSpanishHispanicLatino                *bool `json:"isSpanishHispanicLatino"`
	IsAmericanIndianOrAlaskanNative        bool  `json:"isAmericanIndianOrAlaskanNative,omitempty"`
	IsBlackOrAfricanAmerican               bool  `json:"isBlackOrAfricanAmerican,omitempty"`
	IsNativeHawaiianOrOtherPacificIslander bool  `json:"isNativeHawaiianOrOtherPacificIslander,omitempty"`
	IsAsian                                bool  `json:"isAsian,omitempty"`
	IsWhite                                bool  `json:"isWhite,omitempty"`
	HasDemographicNoAnswer                 bool  `json:"hasDemographicNoAnswer,omitempty"`

	VeteranAddress     *Address `json:"veteranAddress"`               // mailing address
	VeteranHomeAddress *Address `json:"veteranHomeAddress,omitempty"` // when it differs from the mailing address
	Email              string   `json:"email,omitempty"`
	HomePhone          string   `json:"homePhone,omitempty"`   // 10 digits
	MobilePhone        string   `json:"mobilePhone,omitempty"` // 10 digits

	DiscloseFinancialInformation bool `json:"discloseFinancialInformation,omitempty"`

	SpouseFullName             *FullName `json:"spouseFullName,omitempty"`
	SpouseSocialSecurityNumber string    `json:"spouseSocialSecurityNumber,omitempty"`
	SpouseDateOfBirth          string    `json:"spouseDateOfBirth,omitempty"`
	DateOfMarriage             string    `json:"dateOfMarriage,omitempty"`
	SameAddress                bool      `json:"sameAddress,omitempty"`
	CohabitedLastYear          bool      `json:"cohabitedLastYear,omitempty"`
	ProvideSupportLastYear     bool      `json:"provideSupportLastYear,omitempty"`
	SpouseAddress              *Address  `json:"spouseAddress,omitempty"`
	SpousePhone                string    `json:"spousePhone,omitempty"`

	Dependents []Dependent `json:"dependents,omitempty"`

	VeteranGrossIncome          *float64 `json:"veteranGrossIncome,omitempty"`
	VeteranNetIncome            *float64 `json:"veteranNetIncome,omitempty"`
	VeteranOtherIncome          *float64 `json:"veteranOtherIncome,omitempty"`
	SpouseGrossIncome           *float64 `json:"spouseGrossIncome,omitempty"`
	SpouseNetIncome             *float64 `json:"spouseNetIncome,omitempty"`
	SpouseOtherIncome           *float64 `json:"spouseOtherIncome,omitempty"`
	DeductibleMedicalExpenses   *float64 `json:"deductibleMedicalExpenses,omitempty"`
	DeductibleFuneralExpenses   *float64 `json:"deductibleFuneralExpenses,omitempty"`
	DeductibleEducationExpenses *float64 `json:"deductibleEducationExpenses,omitempty"`

	IsCoveredByHealthInsurance bool       `json:"isCoveredByHealthInsurance,omitempty"`
	Providers                  []Provider `json:"providers,omitempty"`
	IsMedicaidEligible         *bool      `json:"isMedicaidEligible"`
	IsEnrolledMedicarePartA    bool       `json:"isEnrolledMedicarePartA,omitempty"`
	MedicarePartAEffectiveDate string     `json:"medicarePartAEffectiveDate,omitempty"`
	MedicareClaimNumber        string     `json:"medicareClaimNumber,omitempty"`

	LastServiceBranch    string `json:"lastServiceBranch,omitempty"`
	LastEntryDate        string `json:"lastEntryDate,omitempty"`
	LastDischargeDate    string `json:"lastDischargeDate,omitempty"`
	DischargeType        string `json:"dischargeType,omitempty"`
	PurpleHeartRecipient bool   `json:"purpleHeartRecipient,omitempty"`
	IsFormerPOW          bool   `json:"isFormerPow,omitempty"`
	PostNov111998Combat  bool   `json:"postNov111998Combat,omitempty"`
	DisabledInLineOfDuty bool   `json:"disabledInLineOfDuty,omitempty"`
	SWAsiaCombat         bool   `json:"swAsiaCombat,omitempty"`
	VietnamService       bool   `json:"vietnamService,omitempty"`
	ExposedToRadiation   bool   `json:"exposedToRadiation,omitempty"`
	RadiumTreatments     bool   `json:"radiumTreatments,omitempty"`
	CampLejeune          bool   `json:"campLejeune,omitempty"`

	PrivacyAgreementAccepted *bool `json:"privacyAgreementAccepted"`

	// Toxic exposure (the PACT Act questions). Partial dates are YYYY-MM-DD with XX for an
	// unknown month or day, e.g. 1991-XX-XX.
	HasTERAResponse               bool   `json:"hasTeraResponse,omitempty"`
	RadiationCleanupEfforts       bool   `json:"radiationCleanupEfforts,omitempty"`
	GulfWarService                bool   `json:"gulfWarService,omitempty"`
	GulfWarStartDate              string `json:"gulfWarStartDate,omitempty"`
	GulfWarEndDate                string `json:"gulfWarEndDate,omitempty"`
	CombatOperationService        bool   `json:"combatOperationService,omitempty"`
	ExposedToAgentOrange          bool   `json:"exposedToAgentOrange,omitempty"`
	AgentOrangeStartDate          string `json:"agentOrangeStartDate,omitempty"`
	AgentOrangeEndDate            string `json:"agentOrangeEndDate,omitempty"`
	ExposureToAirPollutants       bool   `json:"exposureToAirPollutants,omitempty"`
	ExposureToAsbestos            bool   `json:"exposureToAsbestos,omitempty"`
	ExposureToChemicals           bool   `json:"exposureToChemicals,omitempty"`
	ExposureToContaminatedWater   bool   `json:"exposureToContaminatedWater,omitempty"`
	ExposureToMustardGas          bool   `json:"exposureToMustardGas,omitempty"`
	ExposureToOccupationalHazards bool   `json:"exposureToOccupationalHazards,omitempty"`
	ExposureToRadiation           bool   `json:"exposureToRadiation,omitempty"`
	ExposureToShad                bool   `json:"exposureToShad,omitempty"`
	ExposureToWarfareAgents       bool   `json:"exposureToWarfareAgents,omitempty"`
	ExposureToOther               bool   `json:"exposureToOther,omitempty"`
	OtherToxicExposure            string `json:"otherToxicExposure,omitempty"`
	ToxicExposureStartDate        string `json:"toxicExposureStartDate,omitempty"`
	ToxicExposureEndDate          string `json:"toxicExposureEndDate,omitempty"`
}

// FullName is a person's name as the form writes it.
type FullName struct {
	First  string `json:"first"`
	Middle string `json:"middle,omitempty"`
	Last   string `json:"last"`
	Suffix string `json:"suffix,omitempty"` // Jr., Sr., II, III, IV
}

// Address is a postal address. For USA, Canada and Mexico State is a state or province
// code from the form's list; elsewhere ProvinceCode is free text.
type Address struct {
	Street       string `json:"street"`
	Street2      string `json:"street2,omitempty"`
	Street3      string `json:"street3,omitempty"`
	City         string `json:"city"`
	State        string `json:"state,omitempty"`
	ProvinceCode string `json:"provinceCode,omitempty"`
	PostalCode   string `json:"postalCode,omitempty"`
	Country      string `json:"country"` // ISO 3166 alpha-3, e.g. USA
}

// Dependent is a child or other dependent the Veteran lists.
type Dependent struct {
	FullName                   *FullName `json:"fullName"`
	DependentRelation          string    `json:"dependentRelation"`
	SocialSecurityNumber       string    `json:"socialSecurityNumber,omitempty"`
	BecameDependent            string    `json:"becameDependent,omitempty"`
	DateOfBirth                string    `json:"dateOfBirth,omitempty"`
	DisabledBefore18           bool      `json:"disabledBefore18,omitempty"`
	AttendedSchoolLastYear     bool      `json:"attendedSchoolLastYear,omitempty"`
	DependentEducationExpenses *float64  `json:"dependentEducationExpenses,omitempty"`
	CohabitedLastYear          bool      `json:"cohabitedLastYear,omitempty"`
	ReceivedSupportLastYear    bool      `json:"receivedSupportLastYear,omitempty"`
	GrossIncome                *float64  `json:"grossIncome,omitempty"`
	NetIncome                  *float64  `json:"netIncome,omitempty"`
	OtherIncome                *float64  `json:"otherIncome,omitempty"`
}

// Provider is one health insurance policy.
type Provider struct {
	InsuranceName             string `json:"insuranceName,omitempty"`
	InsurancePolicyHolderName string `json:"insurancePolicyHolderName,omitempty"`
	InsurancePolicyNumber     string `json:"insurancePolicyNumber,omitempty"`
	InsuranceGroupCode        string `json:"insuranceGroupCode,omitempty"`
}

// Attachment is a document the Veteran uploaded to vets.gov (a DD-214 or another record);
// the form holds only its reference, the file stays in vets.gov's upload store.
type Attachment struct {
	Name             string `json:"name,omitempty"`
	Size             int64  `json:"size,omitempty"`
	ConfirmationCode string `json:"confirmationCode,omitempty"`
	DD214            bool   `json:"dd214,omitempty"`
}

// Married reports a marital status that brings a spouse into the form (Married or Separated).
func (f *Form) Married() bool { return f.MaritalStatus == "Married" || f.MaritalStatus == "Separated" }
