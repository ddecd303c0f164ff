package enrollment

// The value lists of the va.gov 10-10EZ (vets-json-schema dist/10-10EZ-schema.json), as
// the validator checks them.

var (
	nameSuffixes = []string{"Jr.", "Sr.", "II", "III", "IV"}

	genders = []string{"F", "M"}

	maritalStatuses = []string{"Married", "Never Married", "Separated", "Widowed", "Divorced"}

	vaCompensationTypes = []string{"lowDisability", "highDisability", "none"}

	vaPensionTypes = []string{"Yes", "No"}

	dependentRelations = []string{"Daughter", "Son", "Stepson", "Stepdaughter", "Father", "Mother", "Spouse", "Other"}

	serviceBranches = []string{"air force", "army", "coast guard", "marine corps", "merchant seaman", "navy", "noaa",
		"space force", "usphs", "f.commonwealth", "f.guerilla", "f.scouts new", "f.scouts old", "other"}

	dischargeTypes = []string{"honorable", "general", "other", "bad-conduct", "dishonorable", "undesirable"}

	// usStates are the state codes of a USA address: states, DC, territories and the
	// armed forces "states" AA, AE, AP.
	usStates = []string{"AL", "AK", "AS", "AZ", "AR", "AA", "AE", "AP", "CA", "CO", "CT", "DE", "DC", "FM", "FL", "GA",
		"GU", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MH", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
		"NV", "NH", "NJ", "NM", "NY", "NC", "ND", "MP", "OH", "OK", "OR", "PW", "PA", "PR", "RI", "SC", "SD", "TN", "TX",
		"UT", "VT", "VI", "VA", "WA", "WV", "WI", "WY"}

	canadianProvinces = []string{"AB", "BC", "MB", "NB", "NL", "NT", "NS", "NU", "ON", "PE", "QC", "SK", "YT"}

	mexicanStates = []string{"aguascalientes", "baja-california-norte", "baja-california-sur", "campeche", "chiapas",
		"chihuahua", "coahuila", "colima", "distrito-federal", "durango", "guanajuato", "guerrero", "hidalgo", "jalisco",
		"mexico", "michoacan", "morelos", "nayarit", "nuevo-leon", "oaxaca", "puebla", "queretaro", "quintana-roo",
		"san-luis-potosi", "sinaloa", "sonora", "tabasco", "tamaulipas", "tlaxcala", "veracruz", "yucatan", "zacatecas"}

	// birthStates are the 50 states, DC and "Other" (born outside the United States).
	birthStates = []string{"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
		"KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
		"OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "Other"}
)

// Length limits of the form's text fields.
const (
	maxFirstName       = 25
	maxMiddleName      = 30
	maxLastName        = 35
	minLastName        = 2
	maxStreet          = 30
	maxCity            = 30
	maxProvinceCode    = 51
	maxPostalCode      = 51
	minCityOfBirth     = 2
	maxCityOfBirth     = 20
	maxInsuranceName   = 100
	maxPolicyHolder    = 50
	maxPolicyNumber    = 30
	maxGroupCode       = 30
	maxMedicareClaim   = 30
	maxOtherToxic      = 100
	maxMonetaryValue   = 9999999.99
	maxFutureDischarge = 180 // days: vets-api refuses a discharge date further ahead
)
