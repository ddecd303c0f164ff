package enrollment

// The codes ES expects in an eeSummary, as vets-api's HCA::EnrollmentSystem writes them
// (lib/hca/enrollment_system.rb). Where the published XSD lists other values for the same
// element (phone and email types, races, ethnicity, contact types), ES takes these codes:
// they are what va.gov has sent in production since 2016.

// serviceBranchCode: a branch not in the list (the form's "other") is 6.
var serviceBranchCodes = map[string]string{
	"army": "1", "air force": "2", "navy": "3", "marine corps": "4", "coast guard": "5", "merchant seaman": "7",
	"usphs": "9", "noaa": "10", "f.commonwealth": "11", "f.guerilla": "12", "f.scouts new": "13", "f.scouts old": "14",
	"space force": "15",
}

const otherServiceBranchCode = "6"

// dischargeTypeCodes: a type not in the list (the form's "other") is 4.
var dischargeTypeCodes = map[string]string{
	"honorable": "1", "dishonorable": "2", "general": "3", "undesirable": "5", "bad-conduct": "6",
}

const otherDischargeTypeCode = "4"

// maritalStatusCodes: anything else (no answer) is U.
var maritalStatusCodes = map[string]string{
	"Married": "M", "Never Married": "S", "Separated": "A", "Widowed": "W", "Divorced": "D",
}

const unknownMaritalStatusCode = "U"

// dependentRelationCodes for dependentInfo and relation.
var dependentRelationCodes = map[string]string{
	"Spouse": "2", "Son": "3", "Daughter": "4", "Stepson": "5", "Stepdaughter": "6", "Father": "17", "Mother": "18", "Other": "99",
}

// spouseRelationCode is the spouse's relationship in spouseInfo.
const spouseRelationCode = "2"

// Contact types of an association.
const (
	contactTypeSpouse    = "10"
	contactTypeDependent = "11"
)

// spouseAssociationRelationship is the relationship text of the spouse's association.
const spouseAssociationRelationship = "SPOUSE"

// Race and ethnicity codes (CDC race and ethnicity code set).
const (
	raceAmericanIndianOrAlaskaNative         = "1002-5"
	raceAsian                                = "2028-9"
	raceBlackOrAfricanAmerican               = "2054-5"
	raceNativeHawaiianOrOtherPacificIslander = "2076-8"
	raceWhite                                = "2106-3"
	ethnicityHispanicOrLatino                = "2135-2"
	ethnicityNotHispanicOrLatino             = "2186-5"
	declinedToAnswer                         = "0000-0" // race and ethnicity when the Veteran prefers not to answer
)

// Phone and email types.
const (
	phoneTypeHome     = "1"
	phoneTypeMobile   = "4"
	emailTypePersonal = "1"
)

// Address type codes.
const (
	addressTypePermanent = "P" // the mailing address
	addressTypeResidence = "R" // the home address, when it differs
)

// Income and expense types of a financial statement.
const (
	incomeGross = "7"
	incomeNet   = "13"
	incomeOther = "10"

	expenseEducation          = "3"
	expenseDependentEducation = "16"
	expenseMedical            = "18"
	expenseFuneral            = "19"
)

// Insurance mapping types.
const (
	insurancePrivate  = "PI"
	insuranceMedicare = "MDCR"
	medicareCompany   = "Medicare"
)

// birthStateOutsideUS is placeOfBirthState for the form's "Other" (born abroad).
const birthStateOutsideUS = "FG"

// Form identifier and identity values of a va.gov 10-10EZ submission.
const (
	FormType1010EZ            = 100      // formIdentifier type
	formIdentifierValue1010EZ = "1010EZ" // formIdentifier value
	// formIdentifierVersion is the version vets-api sends with a 1010EZ.
	formIdentifierVersion = "2986360436"

	ApplicationMethodOnline = 1 // applicationInfo appMethod: 1 online, 2 in person, 3 phone, 4 mail

	authLevelAnonymous      = "100"
	authLevelAnonymousValue = "anonymous"
	authLevelTwo            = "102" // a signed-in Veteran with an ICN or EDIPI
	authLevelTwoValue       = "Assurance Level 2"
)
