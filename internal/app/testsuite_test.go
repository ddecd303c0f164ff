package app

import (
	"os/exec"
	"strings"
	"testing"
)

// The what-if links the SDK's time-skipping test environment (go.temporal.io/sdk/testsuite,
// with its mock clock and mock service). It lives in its own program, whatif; the worker
// and the operator programs must not carry it or the simulation package.
func TestOnlyWhatIfLinksTheTestEnvironment(t *testing.T) {
	root := moduleRoot(t)
	deps := func(programs ...string) map[string]bool {
		cmd := exec.Command("go", append([]string{"list", "-deps", "-f", "{{.ImportPath}}"}, programs...)...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", strings.Join(programs, " "), err, stderr(err))
		}
		m := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			m[p] = true
		}
		return m
	}
	testOnly := []string{"go.temporal.io/sdk/testsuite", "github.com/hcaops/hcaops/simulation"}
	prod := deps(productionPrograms...)
	for _, p := range testOnly {
		if prod[p] {
			t.Errorf("one of %s depends on %s", strings.Join(productionPrograms, " "), p)
		}
	}
	// And the check can see it where it is.
	if w := deps("./whatif"); !w[testOnly[0]] || !w[testOnly[1]] {
		t.Fatalf("whatif does not link %v: the check above proves nothing", testOnly)
	}
}
