package notify

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Directory is the group directory: who receives staff notices sent to a group ("vets.gov",
// "ES Tier 2/3"), to the product manager and to the ES liaisons. It is read once at start
// from a plain text file, one entry a line:
//
//	# comment
//	vets.gov:            vetsgov-oncall@example.gov, Lead <vetsgov-lead@example.gov>
//	ES Tier 2/3:         es-support@example.gov
//	hca-product-manager: hca-pm@example.gov
//	es-liaison:          es-liaison@example.gov
//
// A name is everything before the first ':' (names may hold spaces and '/'), matched
// without regard to letter case. Errors name the file, the line and the position of a bad
// address, never the address itself.
type Directory struct {
	groups map[string][]string // lower-cased name -> bare addresses, in file order, unique
	names  []string            // names as written, in file order
}

// LoadDirectory reads the directory file at path.
func LoadDirectory(path string) (Directory, error) {
	f, err := os.Open(path)
	if err != nil {
		return Directory{}, fmt.Errorf("group directory: %w", err)
	}
	defer f.Close()
	return ParseDirectory(f, path)
}

// ParseDirectory reads a directory; name is what errors call the source (a file path).
// Every problem is reported, each with its line.
func ParseDirectory(r io.Reader, name string) (Directory, error) {
	d := Directory{groups: map[string][]string{}}
	firstLine := map[string]int{}
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...)))
	}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
			fail(line, "holds a control character")
			continue
		}
		group, list, ok := strings.Cut(text, ":")
		group = strings.TrimSpace(group)
		if !ok || group == "" {
			fail(line, "want \"group: address, address\"")
			continue
		}
		if strings.Contains(group, "@") {
			fail(line, "the group name is an address; want \"group: address, address\"")
			continue
		}
		key := strings.ToLower(group)
		if first, dup := firstLine[key]; dup {
			fail(line, "group %q is listed again (first on line %d)", group, first)
			continue
		}
		firstLine[key] = line
		var addrs []string
		for i, a := range strings.Split(list, ",") {
			a = strings.TrimSpace(a)
			if a == "" {
				if strings.TrimSpace(list) != "" {
					fail(line, "group %q: address %d is empty (a stray comma?)", group, i+1)
				}
				continue
			}
			bare, ok := parseAddress(a)
			if !ok {
				fail(line, "group %q: address %d is not a valid email address", group, i+1)
				continue
			}
			if !slices.ContainsFunc(addrs, func(x string) bool { return strings.EqualFold(x, bare) }) {
				addrs = append(addrs, bare)
			}
		}
		if len(addrs) == 0 {
			fail(line, "group %q has no addresses", group)
			continue
		}
		d.groups[key] = addrs
		d.names = append(d.names, group)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	if err := errors.Join(errs...); err != nil {
		return Directory{}, fmt.Errorf("group directory: %w", err)
	}
	return d, nil
}

// Resolve returns the addresses of a group, or nil if the directory does not list it.
func (d Directory) Resolve(group string) []string {
	return slices.Clone(d.groups[strings.ToLower(strings.TrimSpace(group))])
}

// Names lists the groups as the file writes them, in file order.
func (d Directory) Names() []string { return slices.Clone(d.names) }

// Require checks that every group hcaops sends to is listed, so a missing one stops the
// worker at start instead of failing the first breach notice; why says who needs it.
func (d Directory) Require(why map[string]string) error {
	var missing []string
	for g := range why {
		if d.Resolve(g) == nil {
			missing = append(missing, fmt.Sprintf("%q (%s)", g, why[g]))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return fmt.Errorf("group directory lists no addresses for %s", strings.Join(missing, ", "))
}
