package reconcile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcaops/hcaops/enrollment"
)

// messy is a day with every kind of finding, lists capped at 3.
func messy(t *testing.T) Result {
	t.Helper()
	var vets []Submission
	var rows []enrollment.ReportRow
	for i := range 10 {
		vets = append(vets, sub(int64(100+i), 104)) // missing
		stranger := row(int64(2000+i), 104)         // unknown
		stranger.ApplicationKey = appID(9000 + i)
		rows = append(rows, stranger, foreign(int64(3000+i), 104)) // and another channel's
	}
	vets = append(vets, sub(300, 104), sub(301, 100), sub(1, 104))
	stuck := received(row(301, 103), cutOff.Add(-8*24*time.Hour))
	second := row(800, 102)
	second.ApplicationKey = appID(1)
	rows = append(rows, row(300, 101), stuck, row(300, 101), row(1, 104), second)
	// Application 5's attempt at 10:00 went unanswered; a retry got 500. Row 900 may be that attempt's record.
	five := sub(500, 104)
	five.ApplicationID = appID(5)
	five.UnknownAttempts = []Attempt{{SentAt: at(10, 0), Until: at(10, 1)}}
	mine := row(500, 104)
	mine.ApplicationKey = appID(5)
	late := sub(400, 100)
	late.SubmittedAt = cutOff.Add(time.Minute)
	vets = append(vets, five, late)
	rows = append(rows, mine, received(foreign(900, 104), at(10, 2)))
	return mustReconcile(t, vets, rowsOf(rows...), Options{AsOf: asOf, MaxListed: 3})
}

func TestStoreSavesJSONAndPage(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "reports")} // Save creates it
	res := messy(t)
	jsonPath, mdPath, err := s.Save(res)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if jsonPath != filepath.Join(s.Dir, day+".json") || mdPath != filepath.Join(s.Dir, day+".md") {
		t.Errorf("paths = %s, %s", jsonPath, mdPath)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Summary() != res.Summary() || back.ES.ByStatus[104] != 23 || !back.CutOff.Equal(cutOff) || len(back.PossibleDuplicates) != 1 {
		t.Errorf("the JSON file reads back as %+v", back)
	}
	// Saving again replaces the day and leaves no temporary file.
	if _, _, err := s.Save(res); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(s.Dir)
	if len(entries) != 2 {
		t.Errorf("%d files in %s, want the JSON and the page", len(entries), s.Dir)
	}
}

func TestMarkdownPage(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, messy(t)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"# ES daily report reconciliation — 2026-11-24\n",
		"2026-11-24: ES 27 rows (10 from other channels), vets.gov 14 submitted; 10 missing from ES, 10 unknown, 1 mismatched, 1 stuck, 1 duplicated, 1 second ES record, 1 possible duplicate, 1 after the cut-off\n",
		"Both sides as of the report's cut-off, 2026-11-25T02:00:00-05:00.",
		"| Status | Meaning | ES | of which other channels | vets.gov |\n|---:|---|---:|---:|---:|\n",
		"| 100 | submitted | 0 | 0 | 1 |\n",
		"| 101 | submission failed | 2 | 0 | 0 |\n",
		"| 104 | processed successfully | 23 | 10 | 13 |\n",
		"| **Total** |  | **27** | **10** | **14** |\n",
		"## After the cut-off (1)\n",
		"| 400 | " + appID(400) + " | 100 submitted | 2026-11-25T02:01:00-05:00 |\n",
		"## Missing from ES (10)\n",
		"| 100 | " + appID(100) + " | 104 processed successfully | 2026-11-24T09:00:00-05:00 |\n",
		"## Unknown to vets.gov (10)\n",
		"| 2000 | " + appID(9000) + " | 104 processed successfully | 2026-11-24T09:00:00-05:00 | 3 |\n",
		"## Status mismatches (1)\n",
		"| 300 | " + appID(300) + " | 104 processed successfully | 101 submission failed |\n",
		"## Stuck at ES (1)\n",
		"| 301 | " + appID(301) + " | 103 processing pending | 2026-11-17T02:00:00-05:00 | 8d |\n",
		"## Duplicate form submission IDs (1)\n",
		"| 300 | " + appID(300) + " | 2 |\n",
		"## Second ES records of one application (1)\n",
		"| " + appID(1) + " | 1 | 800 | 102 processing in progress | 2026-11-24T09:00:00-05:00 | 27 |\n",
		"## Possible duplicates (1)\n",
		"| 900 | 104 processed successfully | 2026-11-24T10:02:00-05:00 | " + appID(5) + " | 29 |\n",
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

	// Rows of other channels alone: counted, and no discrepancies.
	var clean bytes.Buffer
	if err := WriteMarkdown(&clean, mustReconcile(t, []Submission{sub(1, 104)}, rowsOf(row(1, 104), foreign(2, 101)), defaults)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nNo discrepancies.\n", "| 101 | submission failed | 1 | 1 | 0 |\n"} {
		if !strings.Contains(clean.String(), want) || strings.Contains(clean.String(), "## Missing") {
			t.Errorf("clean page lacks %q:\n%s", want, clean.String())
		}
	}
}

// Application IDs and keys come from outside: a pipe or a line break must not break
// the page's tables.
func TestMarkdownEscapesCells(t *testing.T) {
	stranger := row(60, 104)
	stranger.ApplicationKey = "a|b\nc\x1b[2J"
	var b bytes.Buffer
	if err := WriteMarkdown(&b, mustReconcile(t, nil, rowsOf(stranger), defaults)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| 60 | a\\|b c [2J | 104 processed successfully |") {
		t.Errorf("page:\n%s", b.String())
	}
}

func TestStoreRejectsBadDates(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	for _, date := range []string{"", "2026-1-2", "24-11-2026", "2026-02-30", "../2026-11-24", "2026-11-24.json", "2026-11-24 "} {
		if _, _, err := s.Save(Result{Date: date}); err == nil || !strings.Contains(err.Error(), "is not a YYYY-MM-DD date") {
			t.Errorf("Save(Result{Date: %q}) err = %v", date, err)
		}
	}
	if entries, _ := os.ReadDir(s.Dir); len(entries) != 0 {
		t.Errorf("bad dates wrote %d files", len(entries))
	}
	if _, _, err := (Store{}).Save(Result{Date: day}); err == nil || !strings.Contains(err.Error(), "no directory set") {
		t.Errorf("Store{}.Save err = %v", err)
	}
}
