package notify

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDirectory(t *testing.T) {
	d, err := ParseDirectory(strings.NewReader(`# who receives staff notices
vets.gov:            oncall@vets.example, Lead <lead@vets.example>, ONCALL@vets.example
ES Tier 2/3:         es-support@va.example

hca-product-manager: hca-pm@va.example
`), "directory.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Resolve("VETS.GOV "); !reflect.DeepEqual(got, []string{"oncall@vets.example", "lead@vets.example"}) {
		t.Errorf("vets.gov = %q", got)
	}
	if got := d.Resolve("es tier 2/3"); !reflect.DeepEqual(got, []string{"es-support@va.example"}) {
		t.Errorf("ES Tier 2/3 = %q", got)
	}
	if d.Resolve("nobody") != nil {
		t.Error("an unknown group resolves")
	}
	if got := d.Names(); !reflect.DeepEqual(got, []string{"vets.gov", "ES Tier 2/3", "hca-product-manager"}) {
		t.Errorf("names = %q", got)
	}
	err = d.Require(map[string]string{"vets.gov": "breaches", "es-liaison": "ES stall escalations", "hca-product-manager": "breaches"})
	if err == nil || err.Error() != `group directory lists no addresses for "es-liaison" (ES stall escalations)` {
		t.Errorf("Require = %v", err)
	}
}

// Every problem is reported with its line, and no address is echoed.
func TestParseDirectoryErrors(t *testing.T) {
	_, err := ParseDirectory(strings.NewReader(`vets.gov: oncall@vets.example
just a line
: nobody@vets.example
jane.doe@vets.example: x@vets.example
vets.gov: other@vets.example
ES Tier 2/3: es-support@va.example, not-an-address
empty:
pm: pm@va.example,, pm2@va.example
bell: ring@va.example`+"\x07\n"), "dir.txt")
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`group directory: dir.txt:2: want "group: address, address"`,
		`dir.txt:3: want "group: address, address"`,
		`dir.txt:4: the group name is an address; want "group: address, address"`,
		`dir.txt:5: group "vets.gov" is listed again (first on line 1)`,
		`dir.txt:6: group "ES Tier 2/3": address 2 is not a valid email address`,
		`dir.txt:7: group "empty" has no addresses`,
		`dir.txt:8: group "pm": address 2 is empty (a stray comma?)`,
		`dir.txt:9: holds a control character`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, leak := range []string{"not-an-address", "other@", "x@vets"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("error shows %q", leak)
		}
	}
}
