package esfake

// What the fake checks a request against: the element structure of voa-voaSvc-xsd-2.xml
// (requests, in the VOA schema namespace) and of the eeSummary types of
// voa-voaSvc-xsd-1.xml (in the eeSummary namespace), written down from the XSDs. xs:sequence
// types check order; xs:all types accept any order but each element once; every type
// refuses an element it does not declare or one in another namespace. Types a 10-10EZ never
// fills are "opaque": present in their parent, contents not checked.
//
// Leaf values are checked by their XSD type (integer, boolean, date, dateTime, decimal) and,
// in the VOA schema, by enumeration. The eeSummary enumerations (phone and email types,
// races, ethnicity, contact types) are not checked: ES accepts the numeric codes vets-api
// has sent since 2016, which those enumerations do not list.

const (
	voaNS = "http://va.gov/schema/esr/voa/v1"
	eeNS  = "http://jaxws.webservices.esr.med.va.gov/schemas"
)

type leafKind int

const (
	kString leafKind = iota
	kInteger
	kBoolean
	kDate
	kDateTime
	kDecimal
)

type particle struct {
	name     string
	ns       string
	min, max int // max < 0: unbounded
	typ      *ctype
	kind     leafKind
	enum     []string
}

type ctype struct {
	all      bool // xs:all, else xs:sequence
	opaque   bool
	elements []particle
}

const unbounded = -1

// Builders: v* are VOA schema elements, e* eeSummary elements. Occurrence: opt 0..1,
// req 1..1, many 0..unbounded.
type occurs struct{ min, max int }

var (
	opt  = occurs{0, 1}
	req  = occurs{1, 1}
	many = occurs{0, unbounded}
)

func vLeaf(name string, o occurs, k leafKind, enum ...string) particle {
	return particle{name: name, ns: voaNS, min: o.min, max: o.max, kind: k, enum: enum}
}
func vElem(name string, o occurs, t *ctype) particle {
	return particle{name: name, ns: voaNS, min: o.min, max: o.max, typ: t}
}
func eLeaf(name string, k leafKind) particle {
	return particle{name: name, ns: eeNS, min: 0, max: 1, kind: k}
}
func eElem(name string, t *ctype) particle {
	return particle{name: name, ns: eeNS, min: 0, max: 1, typ: t}
}
func eList(name string, t *ctype) particle { // the repeated item of a collection
	return particle{name: name, ns: eeNS, min: 0, max: unbounded, typ: t}
}
func eLeafList(name string, k leafKind) particle {
	return particle{name: name, ns: eeNS, min: 0, max: unbounded, kind: k}
}
func eStrings(names ...string) []particle {
	out := make([]particle, len(names))
	for i, n := range names {
		out[i] = eLeaf(n, kString)
	}
	return out
}
func seq(ps ...particle) *ctype    { return &ctype{elements: ps} }
func all(ps ...particle) *ctype    { return &ctype{all: true, elements: ps} }
func collection(p particle) *ctype { return seq(p) }
func join(groups ...[]particle) []particle {
	var out []particle
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

var opaque = &ctype{opaque: true}

// The VOA schema (voa-voaSvc-xsd-2.xml).
var (
	formIdentifierType = seq(
		vLeaf("type", req, kString, "100", "101", "102", "103", "104", "105"),
		vLeaf("value", opt, kString),
		vLeaf("version", opt, kInteger),
	)
	veteranIdentifierType = seq(
		vLeaf("type", req, kString, "1", "2", "3", "4"),
		vLeaf("value", req, kString),
	)
	authenticationLevelType = seq(
		vLeaf("type", req, kString, "100", "101", "102", "103", "104"),
		vLeaf("value", opt, kString),
	)
	identityType = seq(
		vElem("veteranIdentifier", opt, veteranIdentifierType),
		vElem("authenticationLevel", req, authenticationLevelType),
	)
	documentType = seq(
		vLeaf("name", req, kString),
		vLeaf("format", req, kString, "WORD", "PDF", "RTF", "JPG"),
		vLeaf("type", opt, kString, "1", "2", "3", "4", "5", "6", "7"),
		vLeaf("content", req, kString),
	)
	applicationInfoType = seq(
		vLeaf("benefitType", opt, kString, "1", "2", "3", "4", "5", "6"),
		vLeaf("appDate", opt, kDate),
		vLeaf("appMethod", req, kString, "1", "2", "3", "4"),
	)
	formType = seq(
		vElem("formIdentifier", req, formIdentifierType),
		vElem("summary", req, eeSummaryType),
		vElem("attachments", opt, seq(vElem("document", many, documentType))),
		vElem("applications", req, seq(vElem("applicationInfo", many, applicationInfoType))),
	)
	submitFormRequestType = seq(
		vElem("form", req, formType),
		vElem("identity", req, identityType),
	)
	retrieveFormSubmissionStatusRequestType = seq(
		vLeaf("formSubmissionId", req, kInteger),
		vElem("identity", req, identityType),
	)
)

// The eeSummary types (voa-voaSvc-xsd-1.xml).
var (
	baseAddressInfo = all(eStrings("city", "country", "county", "line1", "line2", "line3", "postalCode",
		"provinceCode", "state", "zipCode", "zipPlus4")...)
	addressInfo = all(join(
		eStrings("city", "country", "county", "line1", "line2", "line3", "postalCode", "provinceCode", "state",
			"zipCode", "zipcode", "zipPlus4"),
		[]particle{eLeaf("addressChangeDateTime", kDateTime)},
		eStrings("addressChangeEffectiveDate", "addressChangeSite", "addressChangeSource", "addressTypeCode", "badAddressReason"),
		[]particle{eElem("confidentialAddressCategories", opaque)},
		eStrings("endDate", "phoneNumber", "contactMethodType"),
		[]particle{eLeaf("contactMethodReportDate", kDateTime)},
	)...)
	associationInfo = all(join(
		[]particle{eElem("address", baseAddressInfo)},
		eStrings("alternatePhone", "contactType", "familyName", "givenName"),
		[]particle{eLeaf("lastUpdateDate", kDateTime)},
		eStrings("middleName", "organizationName", "prefix", "primaryPhone", "relationship", "suffix"),
	)...)
	emailInfo = all(eLeaf("address", kString), eLeaf("changeDate", kDateTime), eLeaf("siteOfChange", kString),
		eLeaf("sourceOfChange", kString), eLeaf("type", kString))
	phoneInfo    = all(eLeaf("phoneNumber", kString), eLeaf("type", kString), eLeaf("phoneNumberReportDate", kDateTime))
	contactInfo  = all(eElem("addresses", collection(eList("address", addressInfo))), eElem("emails", collection(eList("email", emailInfo))), eElem("phones", collection(eList("phone", phoneInfo))))
	demographics = all(
		eLeaf("appointmentRequestResponse", kBoolean), eLeaf("appointmentRequestDate", kDateTime),
		eLeaf("appointmentRequestChangeDate", kDateTime), eLeaf("originalAppointmentRequestResponse", kBoolean),
		eLeaf("originalAppointmentRequestDate", kDateTime), eLeaf("originalAppointmentRequestChangeDate", kDateTime),
		eLeaf("claimFolderLocation", kString), eLeaf("claimFolderNumber", kString), eElem("contactInfo", contactInfo),
		eLeaf("ethnicity", kString), eLeaf("maritalStatus", kString), eLeaf("preferredFacility", kString),
		eLeaf("assignmentDate", kDateTime), eLeaf("unassignmentDate", kDateTime),
		eElem("races", collection(eLeafList("race", kString))), eLeaf("religion", kString),
		eElem("preferredFacilities", opaque), eLeaf("acaIndicator", kBoolean), eLeaf("preferredLanguage", kString),
		eLeaf("preferredLanguageEntryDate", kDateTime), eElem("emergencyResponseIndicators", opaque),
		eElem("indianDesignation", opaque),
	)
	noseThroatRadiumInfo = all(eLeaf("determinationFacility", kString), eLeaf("diagnosedWithCancer", kBoolean),
		eLeaf("diagnosisVerifiedDate", kDateTime), eLeaf("fromAviatorServiceBefore1955", kBoolean),
		eLeaf("fromSubmarinerServiceBefore1965", kBoolean), eLeaf("receivingTreatment", kString),
		eLeaf("verificationDate", kDateTime), eLeaf("verificationFacility", kString), eLeaf("verificationMethod", kString))
	serviceConnectionAwardInfo = all(eLeaf("awardDate", kString), eLeaf("combinedServiceConnectedPercentageEffectiveDate", kString),
		eLeaf("permanentAndTotal", kBoolean), eLeaf("permanentAndTotalEffectiveDate", kDateTime),
		eElem("ratedDisabilities", opaque), eLeaf("serviceConnectedIndicator", kBoolean),
		eLeaf("serviceConnectedPercentage", kInteger), eLeaf("unemployable", kBoolean), eLeaf("scReportDate", kDateTime))
	specialFactorsInfo = all(eLeaf("agentOrangeInd", kBoolean), eLeaf("agentOrangeLocation", kString),
		eLeaf("envContaminantsInd", kBoolean), eLeaf("campLejeuneInd", kBoolean), eLeaf("radiationExposureInd", kBoolean),
		eLeaf("radiationExposureMethod", kString), eLeaf("toxicExposureRiskActivityInd", kBoolean),
		eLeaf("toxicExposureRiskActivityVerificationMethod", kString))
	enrollmentDeterminationInfo = all(
		eLeaf("applicationDate", kDateTime), eLeaf("calculationSource", kString), eElem("cancelDeclineInfo", opaque),
		eElem("catastrophicDisabilityInfo", opaque), eLeaf("effectiveDate", kDateTime), eLeaf("eligibleForMedicaid", kBoolean),
		eLeaf("medicaidLastModifiedDate", kDateTime), eLeaf("endDate", kDateTime), eLeaf("enrollmentDate", kDateTime),
		eLeaf("enrollmentStatus", kString), eLeaf("facilityReceived", kString), eLeaf("enrollmentCategoryName", kString),
		eElem("ineligibilityFactor", opaque), eElem("militarySexualTraumaInfo", opaque), eElem("presumptivePsychosisInfo", opaque),
		eElem("monetaryBenefitAwardInfo", opaque), eElem("noseThroatRadiumInfo", noseThroatRadiumInfo),
		eElem("otherEligibilities", opaque), eElem("primaryEligibility", opaque), eElem("registrationInfo", opaque),
		eLeaf("compactActIndicator", kString), eLeaf("priorityGroup", kString), eLeaf("prioritySubGroup", kString),
		eElem("secondaryEligibilities", opaque), eElem("serviceConnectionAward", serviceConnectionAwardInfo),
		eElem("specialFactors", specialFactorsInfo), eLeaf("userEnrolleeSite", kString),
		eLeaf("userEnrolleeValidThrough", kInteger), eLeaf("veteran", kBoolean), eLeaf("recordCreatedDate", kDateTime),
		eLeaf("recordModifiedDate", kDateTime),
	)
	expenseInfo = all(eLeaf("amount", kDecimal), eLeaf("expenseType", kString), eLeaf("expenseReportDate", kDateTime))
	incomeInfo  = all(eLeaf("amount", kDecimal), eLeaf("type", kString), eLeaf("incomeReportDate", kDate))
	ssnInfo     = all(eLeaf("pseudoSSNReason", kString), eLeaf("sourceOfChange", kString), eLeaf("ssaMessage", kString),
		eLeaf("ssaReceivedDate", kDateTime), eLeaf("ssaSentDate", kDateTime), eLeaf("ssaVerificationDate", kDateTime),
		eLeaf("ssaVerificationStatus", kString), eLeaf("ssnText", kString), eLeaf("type", kString))
	ssnCollection     = collection(eList("ssn", ssnInfo))
	expenseCollection = collection(eList("expense", expenseInfo))
	incomeCollection  = collection(eList("income", incomeInfo))
	dependentInfo     = all(eLeaf("dob", kString), eLeaf("endDate", kDateTime), eLeaf("familyName", kString),
		eLeaf("gender", kString), eLeaf("givenName", kString), eLeaf("middleName", kString), eLeaf("relationship", kString),
		eElem("ssns", ssnCollection), eLeaf("startDate", kString), eLeaf("prefix", kString), eLeaf("suffix", kString),
		eLeaf("incapableOfSelfSupport", kBoolean))
	dependentFinancialsInfo = all(eElem("assets", opaque), eElem("debits", opaque), eElem("expenses", expenseCollection),
		eLeaf("incomeYear", kInteger), eElem("incomes", incomeCollection), eLeaf("livedWithPatient", kBoolean),
		eLeaf("inpatientDays", kInteger), eLeaf("outpatientDays", kInteger), eLeaf("validDependent", kBoolean),
		eLeaf("amountContributedToSupport", kDecimal), eLeaf("attendedSchool", kBoolean),
		eLeaf("contributedToSupport", kBoolean), eElem("dependentInfo", dependentInfo), eLeaf("hasIncome", kBoolean),
		eLeaf("incapableOfSelfSupport", kBoolean), eLeaf("incomeAvailableToPatient", kBoolean))
	spouseInfo = all(eLeaf("dob", kString), eLeaf("endDate", kDateTime), eLeaf("familyName", kString),
		eLeaf("gender", kString), eLeaf("givenName", kString), eLeaf("middleName", kString), eLeaf("relationship", kString),
		eElem("ssns", ssnCollection), eLeaf("startDate", kString), eElem("address", addressInfo),
		eElem("employment", opaque), eLeaf("maidenName", kString), eLeaf("prefix", kString), eLeaf("suffix", kString))
	spouseFinancialsInfo = all(eElem("assets", opaque), eElem("debits", opaque), eElem("expenses", expenseCollection),
		eLeaf("incomeYear", kInteger), eElem("incomes", incomeCollection), eLeaf("livedWithPatient", kBoolean),
		eLeaf("inpatientDays", kInteger), eLeaf("outpatientDays", kInteger), eLeaf("validDependent", kBoolean),
		eElem("spouse", spouseInfo), eLeaf("contributionToSpouseAmt", kDecimal), eLeaf("contributedToSpouseInd", kBoolean))
	financialStatementInfo = all(eElem("assets", opaque), eElem("debits", opaque), eElem("expenses", expenseCollection),
		eLeaf("incomeYear", kInteger), eElem("incomes", incomeCollection), eLeaf("contributionToSpouse", kDecimal),
		eElem("dependentFinancialsList", collection(eList("dependentFinancials", dependentFinancialsInfo))),
		eLeaf("marriedLastCalendarYear", kBoolean), eLeaf("numberOfDependentChildren", kInteger),
		eElem("spouseFinancialsList", collection(eList("spouseFinancials", spouseFinancialsInfo))),
		eLeaf("inpatientDays", kInteger), eLeaf("outpatientDays", kInteger), eLeaf("lastVisitDate", kDate),
		eLeaf("vamcReportDate", kDateTime))
	incomeTestInfo = all(
		eLeaf("adjudicationDate", kDateTime), eLeaf("agreesToPayDeductible", kBoolean), eLeaf("cadAdjusted", kBoolean),
		eLeaf("childIncomeExclusionThreshold", kDecimal), eLeaf("comments", kString), eLeaf("dateMTNoLongerRequired", kDateTime),
		eLeaf("deductibleExpenses", kDecimal), eLeaf("discloseFinancialInformation", kBoolean), eLeaf("effectiveDate", kDateTime),
		eLeaf("futureTest", kBoolean), eElem("gmtAddressInfo", addressInfo), eLeaf("gmtThresholdAmount", kDecimal),
		eLeaf("hardShipReason", kString), eElem("hardshipInfo", opaque), eLeaf("incomeTestType", kString),
		eLeaf("incomeTestsource", kString), eLeaf("incomeVerificationStatus", kString),
		eLeaf("incomeVerificationStatusDate", kDateTime), eLeaf("incomeYear", kInteger), eLeaf("ivmTestCompletionDate", kDateTime),
		eLeaf("ivmConversionDate", kDateTime), eLeaf("incomeTestReportDate", kDateTime), eLeaf("netIncome", kDecimal),
		eLeaf("netWorth", kDecimal), eLeaf("networthThreshold", kDecimal), eLeaf("pensionThreshold", kDecimal),
		eLeaf("previousYearThresholdApplies", kBoolean), eLeaf("primaryIncomeTest", kBoolean),
		eLeaf("reasonMTNoLongerRequired", kDecimal), eLeaf("refusedToSign", kBoolean), eLeaf("sendForAdjudication", kBoolean),
		eLeaf("siteConductingTest", kString), eElem("statuses", opaque), eLeaf("thresholdA", kDecimal),
		eLeaf("totalIncome", kDecimal), eLeaf("totalNumberOfDependents", kInteger), eLeaf("priorityGroup8Relaxation", kBoolean),
		eLeaf("ivmCaseStatus", kString),
	)
	financialsInfo = all(eElem("beneficiaryTravels", opaque), eElem("financialStatement", financialStatementInfo),
		eElem("incomeTest", incomeTestInfo), eElem("nonPrimaryFinancialsInfo", opaque), eLeaf("reportSite", kString))
	insuranceInfo = all(eLeaf("companyName", kString), eLeaf("enrolledInPartA", kBoolean), eLeaf("enrolledInPartB", kBoolean),
		eLeaf("groupName", kString), eLeaf("groupNumber", kString), eElem("insAddress", addressInfo),
		eElem("insurancePhones", collection(eList("phone", phoneInfo))), eLeaf("insuranceSiteUploadStatus", kString),
		eLeaf("insuredRelationship", kString), eLeaf("insuranceMappingTypeName", kString), eLeaf("lastEditedDate", kDateTime),
		eLeaf("partAEffectiveDate", kString), eLeaf("partBEffectiveDate", kString), eLeaf("planType", kString),
		eLeaf("policyEffectiveDate", kString), eLeaf("policyExpirationDate", kString), eLeaf("policyHolderName", kString),
		eLeaf("policyNumber", kString), eLeaf("preadmitCertification", kBoolean), eLeaf("reasonInsuranceNotUploaded", kString),
		eLeaf("subscriber", kString))
	militaryServiceEpisodeInfo = all(eLeaf("endDate", kString), eLeaf("serviceBranch", kString),
		eLeaf("serviceNumber", kString), eLeaf("startDate", kString), eLeaf("dischargeType", kString))
	militaryServiceSiteRecordInfo = all(eElem("conflictExperiences", opaque),
		eElem("militaryServiceEpisodes", collection(eList("militaryServiceEpisode", militaryServiceEpisodeInfo))),
		eLeaf("servicePeriod", kString), eLeaf("site", kString))
	militaryServiceInfo = all(eElem("combatEpisodes", opaque), eLeaf("combatVeteranEligibilityEndDate", kDateTime),
		eLeaf("disabilityRetirementIndicator", kBoolean), eLeaf("dischargeDueToDisability", kBoolean),
		eElem("militaryServiceSiteRecords", collection(eList("militaryServiceSiteRecord", militaryServiceSiteRecordInfo))),
		eLeaf("shadIndicator", kBoolean), eLeaf("medalofHonorIndicator", kBoolean), eLeaf("eligibleForClassIIDental", kBoolean),
		eLeaf("classIIDentalApplicationDueBefore", kDateTime))
	prisonerOfWarInfo = all(eElem("episodes", opaque), eLeaf("powIndicator", kString))
	purpleHeartInfo   = all(eLeaf("status", kString), eLeaf("indicator", kBoolean))
	relationInfo      = seq(eLeaf("dob", kString), eLeaf("endDate", kDateTime), eLeaf("familyName", kString),
		eLeaf("gender", kString), eLeaf("givenName", kString), eLeaf("middleName", kString), eLeaf("relationship", kString),
		eElem("ssns", ssnCollection), eLeaf("startDate", kString))
	personInfo = seq(eLeaf("firstName", kString), eLeaf("middleName", kString), eLeaf("lastName", kString),
		eLeaf("prefix", kString), eLeaf("suffix", kString), eLeaf("ssnText", kString), eLeaf("gender", kString),
		eLeaf("dob", kString), eLeaf("ssaVerificationStatus", kString), eLeaf("ssaVerificationDate", kDate),
		eElem("vamcData", opaque), eElem("names", opaque), eLeaf("mothersMaidenName", kString),
		eLeaf("placeOfBirthCity", kString), eLeaf("placeOfBirthState", kString))
	consentInfo = seq(eLeaf("consentAuthCode", kString), eLeaf("consentImagingSite", kString),
		eLeaf("consentImageIndexNumber", kString), eLeaf("consentReportDate", kDate), eLeaf("consentLastUpdateDate", kDate))

	eeSummaryType = all(
		eElem("associations", collection(eList("association", associationInfo))),
		eElem("deathRecond", opaque),
		eElem("demographics", demographics),
		eElem("eligibilityVerificationInfo", opaque),
		eElem("employmentInfo", opaque),
		eElem("enrollmentDeterminationInfo", enrollmentDeterminationInfo),
		eElem("feeBasisList", opaque),
		eElem("financialsInfo", financialsInfo),
		eElem("incompetenceRulingInfo", opaque),
		eElem("insuranceList", collection(eList("insurance", insuranceInfo))),
		eElem("militaryServiceInfo", militaryServiceInfo),
		eElem("prisonerOfWarInfo", prisonerOfWarInfo),
		eElem("purpleHeart", purpleHeartInfo),
		eElem("relations", collection(eList("relation", relationInfo))),
		eElem("sensitivityInfo", opaque),
		eElem("spinalCordInjuryInfo", opaque),
		eElem("personInfo", personInfo),
		eElem("consentInfo", consentInfo),
		eElem("communityCareEligibilityInfo", opaque),
		eElem("healthBenefitPlans", opaque),
	)
)

// requestTypes are the body elements the service takes, by local name (namespace voaNS).
var requestTypes = map[string]*ctype{
	"submitFormRequest":                   submitFormRequestType,
	"retrieveFormSubmissionStatusRequest": retrieveFormSubmissionStatusRequestType,
}
