package sdmfake

import (
	"fmt"
	"strconv"
	"strings"
)

// fakeCode is a row of one of SDM's code tables as the fake knows it. The @id
// values are the fake's own; sites differ.
type fakeCode struct {
	id     int
	code   string // the key: @REL_ATTR
	symbol string // the name: @COMMON_NAME
}

// fakeStatuses is the status (crs) table.
var fakeStatuses = []fakeCode{
	{5200, "OP", "Open"},
	{5201, "ACK", "Acknowledged"},
	{5202, "WIP", "Work in Progress"},
	{5203, "AEUR", "Awaiting End User Response"},
	{5204, "AWTVNDR", "Awaiting Vendor"},
	{5205, "PNDCHG", "Pending Change"},
	{5206, "RE", "Resolved"},
	{5207, "CL", "Closed"},
	{5208, "CNCL", "Cancelled"},
}

// fakePriorities is the priority (pri) table; the fake keys it by its name.
var fakePriorities = []fakeCode{
	{501, "1", "1"}, {502, "2", "2"}, {503, "3", "3"}, {504, "4", "4"}, {505, "5", "5"},
}

// fakeActivityTypes is the activity type (aty) table.
var fakeActivityTypes = []fakeCode{
	{1, "INIT", "Initial"},
	{2, "LOG", "Log Comment"},
	{3, "ST", "Update Status"},
	{4, "RE", "Resolve"},
	{5, "CL", "Close"},
	{6, "ESC", "Escalate"},
	{7, "TR", "Transfer"},
}

// lookup finds the row ref points at: by key ("WIP", or "crs:5202" with the
// table's prefix), by @id, or by name. what names the attribute for errors.
func lookup(table []fakeCode, prefix, what string, ref reference) (fakeCode, error) {
	for _, c := range table {
		switch {
		case ref.RelAttr != "" && (strings.EqualFold(string(ref.RelAttr), c.code) || string(ref.RelAttr) == prefix+strconv.Itoa(c.id)):
			return c, nil
		case ref.RelAttr == "" && ref.ID != "" && string(ref.ID) == strconv.Itoa(c.id):
			return c, nil
		case ref.RelAttr == "" && ref.ID == "" && strings.EqualFold(string(ref.CommonName), c.symbol):
			return c, nil
		}
	}
	return fakeCode{}, fmt.Errorf("invalid %s %q", what, refText(ref))
}

// find returns the row with the given code.
func find(table []fakeCode, code string) fakeCode {
	for _, c := range table {
		if c.code == code {
			return c
		}
	}
	return fakeCode{code: code, symbol: code}
}

// refText is what a reference names, for messages.
func refText(ref reference) string {
	switch {
	case ref.RelAttr != "":
		return string(ref.RelAttr)
	case ref.ID != "":
		return string(ref.ID)
	default:
		return string(ref.CommonName)
	}
}

// readRef is a reference as SDM answers it.
func readRef(c fakeCode) map[string]string {
	return map[string]string{"@id": strconv.Itoa(c.id), "@REL_ATTR": c.code, "@COMMON_NAME": c.symbol}
}
