package app

import (
	"maps"
	"os/exec"
	"path"
	"slices"
	"strings"
	"testing"
)

// productionPrograms are the programs that run against real systems. The fakes program
// is the only one meant to carry fakes.
var productionPrograms = []string{"./worker", "./starter", "./ticketctl", "./esctl", "./reportctl", "./codecserver"}

// fakeFilesPendingMove are packages that production programs need and that still hold a
// fake in some of their files, each waiting to move its fake into a package of its own.
// Remove a line when its fake has moved; the test says when one is stale.
var fakeFilesPendingMove = map[string]string{}

// A fake answers whatever it is asked with made-up data: linked into the worker by
// mistake, it could stand in for SDM, Dynamics or ES without anyone noticing. Fakes live
// in packages named ...fake (sdmfake, dynamicsfake, esfake), and no production program
// may depend on one, directly or through another package.
func TestProductionProgramsCarryNoFake(t *testing.T) {
	root := moduleRoot(t)
	cmd := exec.Command("go", append([]string{"list", "-deps", "-f",
		"{{if not .Standard}}{{.ImportPath}}{{range .GoFiles}} {{.}}{{end}}{{end}}"}, productionPrograms...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", strings.Join(productionPrograms, " "), err, stderr(err))
	}
	var deps int
	withFakeFiles := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		deps++
		pkg, files := fields[0], fields[1:]
		if strings.HasSuffix(strings.ToLower(path.Base(pkg)), "fake") {
			t.Errorf("a production program depends on the fake package %s (go list -deps %s)", pkg, strings.Join(productionPrograms, " "))
			continue
		}
		for _, f := range files {
			if strings.Contains(strings.ToLower(f), "fake") {
				withFakeFiles[pkg] = append(withFakeFiles[pkg], f)
			}
		}
	}
	if deps < 10 {
		t.Fatalf("go list found only %d packages: the check would prove nothing\n%s", deps, out)
	}
	for pkg, files := range withFakeFiles {
		if _, pending := fakeFilesPendingMove[pkg]; !pending {
			t.Errorf("%s, which a production program needs, holds a fake (%s): move it into a package of its own (e.g. %sfake)",
				pkg, strings.Join(files, ", "), path.Base(pkg))
		}
	}
	for _, pkg := range slices.Sorted(maps.Keys(fakeFilesPendingMove)) {
		if _, still := withFakeFiles[pkg]; !still {
			t.Errorf("%s holds no fake any more (%s): remove it from fakeFilesPendingMove", pkg, fakeFilesPendingMove[pkg])
		}
	}
}

// moduleRoot is the directory of go.mod, where the programs' paths are relative to.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v\n%s", err, stderr(err))
	}
	return strings.TrimSpace(string(out))
}

func stderr(err error) []byte {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.Stderr
	}
	return nil
}
