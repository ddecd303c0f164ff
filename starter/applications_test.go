package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The demo files `make run` uses: every form of applications.json is accepted, and the
// file with one bad form is refused as a whole, naming that form's problems.
func TestDemoApplicationFiles(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	apps, err := readApplications("../demo/applications.json", now)
	if err != nil {
		t.Fatalf("demo/applications.json: %v", err)
	}
	if len(apps) != 6 {
		t.Fatalf("%d demo applications, want 6", len(apps))
	}
	_, err = readApplications("../demo/applications-invalid.json", now)
	if err == nil {
		t.Fatal("demo/applications-invalid.json was accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	if lines[0] != "nothing submitted:" || len(lines) != 11 {
		t.Fatalf("error:\n%v", err)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "application 2: ") {
			t.Errorf("problem not of application 2: %q", l)
		}
	}
	for _, v := range []string{"3 Bad Data Ln", "23154-987", "wendell.at.example.com"} {
		if strings.Contains(err.Error(), v) {
			t.Errorf("error shows the value %q", v)
		}
	}
}

func TestRepeatedApplicationIDsAreRefused(t *testing.T) {
	path := t.TempDir() + "/apps.json"
	form := `{"privacyAgreementAccepted": true, "veteranFullName": {"first": "A", "last": "Bb"}, "veteranSocialSecurityNumber": "123456789",
	  "veteranDateOfBirth": "1970-01-01", "gender": "F", "isSpanishHispanicLatino": false, "isMedicaidEligible": false, "vaMedicalFacility": "528",
	  "veteranAddress": {"street": "1 Main St", "city": "Buffalo", "state": "NY", "postalCode": "14202", "country": "USA"}}`
	id := "5eed9999-0000-4000-8000-000000000001"
	body := `[{"applicationId": "` + id + `", "form": ` + form + `}, {"applicationId": "` + id + `", "form": ` + form + `}]`
	if err := writeTestFile(path, body); err != nil {
		t.Fatal(err)
	}
	_, err := readApplications(path, time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	if err == nil || !strings.Contains(err.Error(), "application 2: applicationId repeats application 1") {
		t.Fatalf("error = %v", err)
	}
}

func writeTestFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o600) }
