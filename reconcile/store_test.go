package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// messy is a day with every kind of discrepancy, lists capped at 3.
func messy(t *testing.T) Result {
	t.Helper()
	var vets []Submission
	var rows []enrollment.ReportRow
	for i := range 10 {
		vets = append(vets, sub(int64(100+i), 104)) // missing
		rows = append(rows, foreign(int64(2000+i), 104))
	}
	vets = append(vets, sub(300, 104), sub(301, 100))
	stuck := row(301, 103)
	stuck.SubmittedAt = morning.Add(-48 * time.Hour)
	rows = append(rows, row(300, 101), stuck, row(300, 101))
	return mustReconcile(t, vets, rowsOf(rows...), Options{AsOf: asOf, MaxListed: 3})
}

func asJSON(t *testing.T, r Result) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStoreRoundTrip(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "reports")} // Save creates it
	res := messy(t)
	jsonPath, mdPath, err := s.Save(res)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if jsonPath != filepath.Join(s.Dir, day+".json") || mdPath != filepath.Join(s.Dir, day+".md") {
		t.Errorf("paths = %s, %s", jsonPath, mdPath)
	}
	got, err := s.Load(day)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if asJSON(t, got) != asJSON(t, res) {
		t.Errorf("Load gave\n%s\nwant\n%s", asJSON(t, got), asJSON(t, res))
	}
	if got.ES.ByStatus[104] != res.ES.ByStatus[104] || got.Summary() != res.Summary() {
		t.Errorf("status counts or summary changed: %+v", got.ES)
	}

	// Saving again replaces the day; other days and stray files do not disturb Dates.
	clean := mustReconcile(t, nil, rowsOf(), defaults)
	clean.Date = "2026-11-02"
	for _, r := range []Result{res, clean} {
		if _, _, err := s.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"notes.json", "2026-11-31.json", ".2026-11-03.json.123.tmp", "README.md"} {
		os.WriteFile(filepath.Join(s.Dir, name), []byte("{}"), 0o644)
	}
	os.Mkdir(filepath.Join(s.Dir, "2026-11-04.json"), 0o755)
	dates, err := s.Dates()
	if err != nil || !slices.Equal(dates, []string{"2026-11-02", day}) {
		t.Errorf("Dates() = %v, %v", dates, err)
	}
	entries, _ := os.ReadDir(s.Dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+day) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestMarkdownPage(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	_, mdPath, err := s.Save(messy(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(mdPath)
	page := string(b)
	for _, want := range []string{
		"# ES daily report reconciliation — 2026-11-24\n",
		"2026-11-24: ES 13 rows, vets.gov 12 submitted; 10 missing from ES, 10 unknown, 1 mismatched, 1 stuck, 1 duplicated\n",
		"| Status | Meaning | ES | vets.gov |\n|---:|---|---:|---:|\n",
		"| 101 | submission failed | 2 | 0 |\n",
		"| 104 | processed successfully | 10 | 11 |\n",
		"| **Total** |  | **13** | **12** |\n",
		"## Missing from ES (10)\n",
		"| 100 | " + appID(100) + " | 104 processed successfully | 2026-11-24T09:00:00-05:00 |\n",
		"## Unknown to vets.gov (10)\n",
		"| 2000 | — | 104 processed successfully | 2026-11-24T09:00:00-05:00 | 2 |\n",
		"## Status mismatches (1)\n",
		"| 300 | " + appID(300) + " | 104 processed successfully | 101 submission failed |\n",
		"## Stuck in processing (1)\n",
		"| 301 | " + appID(301) + " | 103 processing pending | 2026-11-22T09:00:00-05:00 | 3d 3h |\n",
		"## Duplicate form submission IDs (1)\n",
		"| 300 | " + appID(300) + " | 2 |\n",
		"…and 7 more\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "…and 7 more"); n != 2 {
		t.Errorf(`"…and 7 more" appears %d times, want 2 (missing, unknown)`, n)
	}
	if strings.Contains(page, "No discrepancies.") {
		t.Error("a day with discrepancies says there are none")
	}
	if testing.Verbose() {
		t.Logf("page:\n%s", page)
	}

	var clean bytes.Buffer
	if err := WriteMarkdown(&clean, mustReconcile(t, []Submission{sub(1, 104)}, rowsOf(row(1, 104)), defaults)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(clean.String(), "\nNo discrepancies.\n") || strings.Contains(clean.String(), "## Missing") {
		t.Errorf("clean page:\n%s", clean.String())
	}
}

func TestLoadMissingDay(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	_, err := Store{Dir: dir}.Load(day)
	if want := "no reconciliation kept for 2026-11-24 in " + dir + "/"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if !errors.Is(err, ErrNotKept) {
		t.Errorf("err = %v is not ErrNotKept", err)
	}
	// The message names the directory as configured.
	_, err = Store{Dir: "reports"}.Load(day)
	if want := "no reconciliation kept for 2026-11-24 in reports/"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	dates, err := Store{Dir: dir}.Dates()
	if err != nil || len(dates) != 0 {
		t.Errorf("Dates() of a missing dir = %v, %v", dates, err)
	}
}

func TestStoreRejectsBadDates(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	for _, date := range []string{"", "2026-1-2", "24-11-2026", "2026-02-30", "../2026-11-24", "2026-11-24.json", "2026-11-24 "} {
		want := `is not a YYYY-MM-DD date`
		if _, err := s.Load(date); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%q) err = %v", date, err)
		}
		if _, _, err := s.Save(Result{Date: date}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Save(Result{Date: %q}) err = %v", date, err)
		}
	}
	if entries, _ := os.ReadDir(s.Dir); len(entries) != 0 {
		t.Errorf("bad dates wrote %d files", len(entries))
	}
	if _, err := (Store{}).Load(day); err == nil || !strings.Contains(err.Error(), "no directory set") {
		t.Errorf("Store{}.Load err = %v", err)
	}
}
