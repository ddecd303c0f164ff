package enrollment

// Form submission status codes used by ES in submitFormResponse and in the daily report.
const (
	StatusSubmitted            = 100
	StatusSubmissionFailed     = 101
	StatusProcessingInProgress = 102
	StatusProcessingPending    = 103
	StatusProcessed            = 104
)

// StatusText names a status code, like http.StatusText; "" for an unknown code.
func StatusText(code int) string {
	switch code {
	case StatusSubmitted:
		return "submitted"
	case StatusSubmissionFailed:
		return "submission failed"
	case StatusProcessingInProgress:
		return "processing in progress"
	case StatusProcessingPending:
		return "processing pending"
	case StatusProcessed:
		return "processed successfully"
	}
	return ""
}

func knownStatus(code int) bool { return StatusText(code) != "" }
