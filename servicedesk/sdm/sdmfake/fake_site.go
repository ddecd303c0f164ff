package sdmfake

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// siteRules are what a real SDM site configures and the fake enforces when asked: the
// attributes an incident must have (SDM's default form requires the affected end user;
// sites add category, urgency, impact), whether hcaops's schema change is installed,
// and the contacts and categories that exist. The zero value is the fake's historic
// leniency: nothing required, custom attributes present, any name accepted.
type siteRules struct {
	required   []string
	noCustom   bool
	contacts   map[string]string // lower-case combo name -> uuid
	categories map[string]bool   // lower-case pcat symbol
}

// Require makes the named incident attributes required on create, as a site's form
// does: "customer", "category", "urgency", "impact".
func (f *Fake) Require(attrs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules.required = append(f.rules.required, attrs...)
}

// WithoutCustomAttributes is an SDM without hcaops's schema change: zhcaops_ref and
// zescalated are unknown attributes, refused like any other.
func (f *Fake) WithoutCustomAttributes() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules.noCustom = true
}

// AddContact adds a contact (cnt) that incidents can name as customer, by its combo
// name ("Last, First") or by the UUID this returns (U'...').
func (f *Fake) AddContact(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rules.contacts == nil {
		f.rules.contacts = map[string]string{}
	}
	id := contactUUID(name)
	f.rules.contacts[strings.ToLower(name)] = id
	return id
}

// AddCategory adds an incident area (pcat); once one exists, a category must be known.
func (f *Fake) AddCategory(sym string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rules.categories == nil {
		f.rules.categories = map[string]bool{}
	}
	f.rules.categories[strings.ToLower(sym)] = true
}

func contactUUID(name string) string {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(name)))
	return fmt.Sprintf("U'%016X%016X'", h.Sum64(), uint64(len(name)))
}

// customerField resolves a customer reference to a known contact's name; with no
// contacts configured any name is taken as given.
func (f *Fake) customerField(ref reference) (string, error) {
	if f.rules.contacts == nil {
		if ref.CommonName == "" {
			return "", fmt.Errorf("customer: the fake resolves customer by @COMMON_NAME only when it has no contacts")
		}
		return string(ref.CommonName), nil
	}
	for name, id := range f.rules.contacts {
		if strings.EqualFold(string(ref.CommonName), name) || string(ref.ID) == id || string(ref.RelAttr) == id {
			return name, nil
		}
	}
	return "", fmt.Errorf("customer %q is not a contact", refText(ref))
}

func (f *Fake) categoryKnown(sym string) bool {
	return f.rules.categories == nil || f.rules.categories[strings.ToLower(sym)]
}

// urgencies and impacts are the urg and imp code tables of an out-of-the-box SDM.
var (
	urgencies = []fakeCode{{1100, "0", "5-Whenever possible"}, {1101, "1", "4-Soon"}, {1102, "2", "3-Quickly"}, {1103, "3", "2-Very Quickly"}, {1104, "4", "1-Immediate"}}
	impacts   = []fakeCode{{1200, "1", "1-Entire organization"}, {1201, "2", "2-Large group"}, {1202, "3", "3-Small group"}, {1203, "4", "4-Single group"}, {1204, "5", "5-One person"}}
)

// missingRequired names the first required attribute inc lacks, "" if none.
func (f *Fake) missingRequired(inc *FakeIncident) string {
	for _, a := range f.rules.required {
		var v string
		switch a {
		case "customer":
			v = inc.Customer
		case "category":
			v = inc.Category
		case "urgency":
			v = inc.Urgency
		case "impact":
			v = inc.Impact
		case "description":
			v = strings.TrimSpace(inc.Description)
		}
		if v == "" {
			return a
		}
	}
	return ""
}
