package enrollment_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/hcaops/hcaops/enrollment"
	"github.com/hcaops/hcaops/enrollment/esfake"
)

// A va.gov form through the fake ES: submit, poll the status, read the day's report.
func Example() {
	fake := esfake.New()
	fake.Now = func() time.Time { return time.Date(2026, 3, 2, 19, 30, 0, 0, time.UTC) }
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()

	c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		panic(err)
	}
	// The form exactly as the va.gov front end posts it.
	posted := `{
	  "privacyAgreementAccepted": true,
	  "veteranFullName": {"first": "Jane", "last": "Doe"},
	  "veteranSocialSecurityNumber": "123456789",
	  "veteranDateOfBirth": "1970-01-31",
	  "gender": "F",
	  "isSpanishHispanicLatino": false,
	  "veteranAddress": {"street": "1 Main St", "city": "Buffalo", "state": "NY", "postalCode": "14202", "country": "USA"},
	  "isMedicaidEligible": false,
	  "vaMedicalFacility": "528A6"
	}`
	app := &enrollment.Application{ApplicationID: "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11"}
	if err := json.Unmarshal([]byte(posted), &app.Form); err != nil {
		panic(err)
	}
	ctx := context.Background()
	res, err := c.Submit(ctx, app, time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println(app, "submitted as", res.FormSubmissionID, "status", res.Status)
	for !res.Processed() {
		if res, err = c.Status(ctx, res.FormSubmissionID); err != nil {
			panic(err)
		}
		fmt.Println("status", res.Status, enrollment.StatusText(res.Status))
	}
	sum, err := c.FetchDailyReport(ctx, "2026-03-02", func(r enrollment.ReportRow) error {
		fmt.Println("report:", r.FormSubmissionID, r.StatusCode)
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("report total", sum.Total)
	// Output:
	// Application{id=0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11} submitted as 40124668140 status 100
	// status 102 processing in progress
	// status 104 processed successfully
	// report: 40124668140 104
	// report total 1
}
