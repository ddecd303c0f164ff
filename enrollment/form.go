package enrollment

// Values ES expects in the form's fixed fields.
const (
	FormType1010EZ = 100 // formIdentifier type; its value is "1010EZ"

	ApplicationMethodOnline   = 1
	ApplicationMethodInPerson = 2
	ApplicationMethodPhone    = 3
	ApplicationMethodMail     = 4

	VeteranIdentifierICN   = 1
	VeteranIdentifierEDIPI = 2
)

// Application is one 10-10EZ health care application, in one type so that a payload
// codec can encrypt it as a whole. Almost every field is PII: the type and its sections
// redact themselves when printed or logged (see redact.go); only ApplicationID is shown.
type Application struct {
	// ApplicationID is our own idempotency key (a UUID, not PII). It is sent to ES as
	// the submissionKey SOAP header and comes back in the daily report.
	ApplicationID     string             `json:"applicationId"`
	FormType          int                `json:"formType"`          // FormType1010EZ
	ApplicationMethod int                `json:"applicationMethod"` // ApplicationMethod*
	VeteranIdentifier *VeteranIdentifier `json:"veteranIdentifier,omitempty"`

	PersonInfo                  PersonInfo                  `json:"personInfo"`
	Demographics                Demographics                `json:"demographics"`
	MilitaryServiceInfo         MilitaryServiceInfo         `json:"militaryServiceInfo"`
	EnrollmentDeterminationInfo EnrollmentDeterminationInfo `json:"enrollmentDeterminationInfo"`
	FinancialsInfo              *FinancialsInfo             `json:"financialsInfo,omitempty"`
	InsuranceList               []Insurance                 `json:"insuranceList,omitempty"`
	Associations                []Association               `json:"associations,omitempty"`
}

// VeteranIdentifier is the Veteran's ICN or EDIPI when vets.gov knows it.
type VeteranIdentifier struct {
	Type  int    `json:"type" xml:"type"` // VeteranIdentifierICN or VeteranIdentifierEDIPI
	Value string `json:"value" xml:"value"`
}

// PersonInfo identifies the Veteran.
type PersonInfo struct {
	FirstName    string `json:"firstName" xml:"firstName"`
	MiddleName   string `json:"middleName,omitempty" xml:"middleName,omitempty"`
	LastName     string `json:"lastName" xml:"lastName"`
	Suffix       string `json:"suffix,omitempty" xml:"suffix,omitempty"`
	DateOfBirth  string `json:"dateOfBirth" xml:"dateOfBirth"` // YYYY-MM-DD
	SSN          string `json:"ssn" xml:"ssn"`                 // 9 digits, no dashes
	Gender       string `json:"gender" xml:"gender"`           // M or F
	PlaceOfBirth string `json:"placeOfBirth,omitempty" xml:"placeOfBirth,omitempty"`
}

// Demographics is how to reach the Veteran and where they want care.
type Demographics struct {
	Address     Address `json:"address" xml:"address"`
	HomePhone   string  `json:"homePhone,omitempty" xml:"homePhone,omitempty"`
	MobilePhone string  `json:"mobilePhone,omitempty" xml:"mobilePhone,omitempty"`
	Email       string  `json:"email,omitempty" xml:"email,omitempty"`
	// PreferredFacility is a VA station number such as "528A6".
	PreferredFacility string `json:"preferredFacility" xml:"preferredFacility"`
}

// Address is a postal address; ZipCode is checked as a US ZIP when Country is USA or empty.
type Address struct {
	Street  string `json:"street" xml:"street"`
	City    string `json:"city" xml:"city"`
	State   string `json:"state" xml:"state"`
	ZipCode string `json:"zipCode" xml:"zipCode"`
	Country string `json:"country,omitempty" xml:"country,omitempty"`
}

// MilitaryServiceInfo is the Veteran's last period of service.
type MilitaryServiceInfo struct {
	LastServiceBranch string `json:"lastServiceBranch" xml:"lastServiceBranch"`
	LastEntryDate     string `json:"lastEntryDate" xml:"lastEntryDate"`         // YYYY-MM-DD
	LastDischargeDate string `json:"lastDischargeDate" xml:"lastDischargeDate"` // YYYY-MM-DD
	DischargeType     string `json:"dischargeType,omitempty" xml:"dischargeType,omitempty"`
}

// EnrollmentDeterminationInfo holds the answers ES uses to decide eligibility.
type EnrollmentDeterminationInfo struct {
	VeteranStatus    string `json:"veteranStatus,omitempty" xml:"veteranStatus,omitempty"`
	ServiceConnected bool   `json:"serviceConnected" xml:"serviceConnected"`
	MedicaidEligible bool   `json:"medicaidEligible" xml:"medicaidEligible"`
	PurpleHeart      bool   `json:"purpleHeart" xml:"purpleHeart"`
}

// FinancialsInfo is the optional financial disclosure, in whole US dollars per year.
type FinancialsInfo struct {
	HouseholdIncome int64 `json:"householdIncome" xml:"householdIncome"`
	MedicalExpenses int64 `json:"medicalExpenses" xml:"medicalExpenses"`
	Dependents      int   `json:"dependents" xml:"dependents"`
}

// Insurance is one health insurance policy.
type Insurance struct {
	CompanyName  string `json:"companyName" xml:"companyName"`
	PolicyNumber string `json:"policyNumber,omitempty" xml:"policyNumber,omitempty"`
}

// Association is a next of kin or emergency contact.
type Association struct {
	ContactType  string `json:"contactType" xml:"contactType"` // e.g. "Primary Next of Kin", "Emergency Contact"
	Name         string `json:"name" xml:"name"`
	Relationship string `json:"relationship,omitempty" xml:"relationship,omitempty"`
	Phone        string `json:"phone,omitempty" xml:"phone,omitempty"`
}
