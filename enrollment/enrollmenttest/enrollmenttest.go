// Package enrollmenttest makes synthetic 10-10EZ applications for tests. Their values
// stand in for PII: tests check that none of PIIValues leaks anywhere.
package enrollmenttest

import "github.com/hcaops/hcaops/enrollment"

// PIIValues are the personal values of Application; none may appear outside the form.
var PIIValues = []string{"Quinn", "Zebulon", "1961-07-04", "231549876", "77 Sample Rd", "qz.veteran@example.com"}

// Application is a valid synthetic 10-10EZ with the given application ID.
func Application(id string) enrollment.Application {
	return enrollment.Application{
		ApplicationID: id, FormType: enrollment.FormType1010EZ, ApplicationMethod: enrollment.ApplicationMethodOnline,
		PersonInfo: enrollment.PersonInfo{FirstName: "Quinn", LastName: "Zebulon", DateOfBirth: "1961-07-04", SSN: "231549876", Gender: "F"},
		Demographics: enrollment.Demographics{
			Address: enrollment.Address{Street: "77 Sample Rd", City: "Portland", State: "OR", ZipCode: "97201", Country: "USA"},
			Email:   "qz.veteran@example.com", PreferredFacility: "648A4",
		},
		MilitaryServiceInfo: enrollment.MilitaryServiceInfo{LastServiceBranch: "Navy", LastEntryDate: "1980-01-15",
			LastDischargeDate: "1984-06-30", DischargeType: "honorable"},
	}
}
