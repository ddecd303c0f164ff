package sdm

import (
	"errors"
	"testing"
)

func TestDecodeCollectionOneOrMany(t *testing.T) {
	cases := []struct {
		name, body string
		ids        []string
	}{
		{"none", `{"collection_in":{"@COUNT":"0","@START":"0","@TOTAL_COUNT":"0"}}`, nil},
		{"one as object", `{"collection_in":{"@COUNT":"1","@START":"1","@TOTAL_COUNT":"1","in":{"@id":"400001","ref_num":"12345"}}}`, []string{"400001"}},
		{"several", `{"collection_in":{"@COUNT":"2","@START":"1","@TOTAL_COUNT":"9","in":[{"@id":"400001"},{"@id":400002}]}}`, []string{"400001", "400002"}},
	}
	for _, c := range cases {
		p, err := decodeCollection[incidentRead]([]byte(c.body), "in")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(p.Items) != len(c.ids) {
			t.Errorf("%s: %d items, want %d", c.name, len(p.Items), len(c.ids))
			continue
		}
		for i, id := range c.ids {
			if string(p.Items[i].ID) != id {
				t.Errorf("%s: item %d id %q, want %q", c.name, i, p.Items[i].ID, id)
			}
		}
	}
}

func TestDecodeMalformed(t *testing.T) {
	for _, body := range []string{
		`<html>`,
		`{"in":{}}`, // a single object where a collection belongs
		`{"collection_in":{"@COUNT":"x"}}`,
		`{"collection_in":{"in":"text"}}`,
	} {
		if _, err := decodeCollection[incidentRead]([]byte(body), "in"); !errors.Is(err, errMalformed) {
			t.Errorf("%s: err = %v, want malformed", body, err)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	cases := map[string]string{
		`{"error":{"error_message":"invalid priority \"9\""}}`:                   `invalid priority "9"`,
		`{"error":[{"error_message":"a","error_code":1},{"error_message":"b"}]}`: "a; b",
		`<html>summary text echoed</html>`:                                       "",
		`{"other":1}`:                                                            "",
	}
	for body, want := range cases {
		if got := errorMessage([]byte(body)); got != want {
			t.Errorf("errorMessage(%s) = %q, want %q", body, got, want)
		}
	}
}

func TestIncidentNumber(t *testing.T) {
	for id, want := range map[string]string{"cr:400001": "400001", "in:400001": "400001", "400001": "400001"} {
		if got, err := incidentNumber(id); err != nil || got != want {
			t.Errorf("incidentNumber(%q) = %q, %v", id, got, err)
		}
	}
	for _, bad := range []string{"", "cr:", "crs:5200", "cr:12a", "-1"} {
		if _, err := incidentNumber(bad); err == nil {
			t.Errorf("incidentNumber(%q) accepted", bad)
		}
	}
}
