package enrollment_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// A submission through the fake ES: submit, poll the status, read the day's report.
func Example() {
	fake := enrollment.NewFake()
	fake.Now = func() time.Time { return time.Date(2026, 3, 2, 19, 30, 0, 0, time.UTC) }
	srv := httptest.NewServer(fake.Handler())
	defer srv.Close()

	c, err := enrollment.NewClient(enrollment.Config{Endpoint: srv.URL + "/voa/voaSvc"})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	app := &enrollment.Application{
		ApplicationID:     "0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11",
		FormType:          enrollment.FormType1010EZ,
		ApplicationMethod: enrollment.ApplicationMethodOnline,
		PersonInfo: enrollment.PersonInfo{FirstName: "Jane", LastName: "Doe", DateOfBirth: "1970-01-31",
			SSN: "123456789", Gender: "F"},
		Demographics: enrollment.Demographics{PreferredFacility: "528A6",
			Address: enrollment.Address{Street: "1 Main St", City: "Buffalo", State: "NY", ZipCode: "14202"}},
		MilitaryServiceInfo: enrollment.MilitaryServiceInfo{LastServiceBranch: "Navy",
			LastEntryDate: "1990-06-01", LastDischargeDate: "1994-05-31"},
	}
	res, err := c.Submit(ctx, app)
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
		fmt.Println("report:", r.FormSubmissionID, r.ApplicationKey, r.StatusCode)
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
	// report: 40124668140 0b6c4f0e-3f0a-4d7e-9a44-5d6f5a1e2c11 104
	// report total 1
}
