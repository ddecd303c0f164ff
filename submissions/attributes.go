package submissions

import (
	"go.temporal.io/sdk/temporal"

	"github.com/hcaops/hcaops/workflows"
)

func temporalSubmitting() temporal.SearchAttributes {
	return temporal.NewSearchAttributes(workflows.SubmissionStatus.ValueSet(workflows.SubmissionSubmitting))
}
