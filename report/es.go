package report

import "time"

// submissionStatuses orders the final-status mix: finished first.
var submissionStatuses = []string{"processed", "failed", "stuck", "processing", "submitting"}

// buildES lines up, day by day, what vets.gov submitted and what ES's report said.
func buildES(in Input, start, end time.Time) ESSide {
	var es ESSide
	submitted := map[string]int{}
	mix := map[string]int{}
	for _, s := range in.Submissions {
		submitted[s.Date]++
		if inPeriod(s.Date, start, end) {
			mix[s.Status]++
		}
	}
	daily := map[string]DailyReport{}
	for _, d := range in.DailyReports {
		daily[d.Date] = d
	}
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		day := ESDay{Date: date, Submitted: submitted[date]}
		if rep, ok := daily[date]; ok {
			day.Reported = rep.Outcome != "missing"
			day.Outcome, day.ESRows = rep.Outcome, rep.ESRows
			day.MissingFromES, day.UnknownToUs, day.Mismatched, day.Stuck = rep.MissingFromES, rep.UnknownToUs, rep.Mismatched, rep.Stuck
			day.Discrepancies = rep.MissingFromES + rep.UnknownToUs + rep.Mismatched + rep.Stuck
		}
		if !day.Reported {
			es.Missing++
		}
		es.Days = append(es.Days, day)
	}
	for _, s := range submissionStatuses {
		es.StatusMix = append(es.StatusMix, Count{Key: s, Count: mix[s]})
	}
	return es
}

func inPeriod(date string, start, end time.Time) bool {
	d, err := time.ParseInLocation(time.DateOnly, date, start.Location())
	return err == nil && !d.Before(start) && d.Before(end)
}
