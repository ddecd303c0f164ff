// Package ticket holds the support-ticket domain of the O&M plan: who reports,
// which tier owns it, what it is about. It has no I/O, so workflow code can use it.
package ticket

import (
	"fmt"
	"slices"
	"strings"
)

// Priority follows the tier-3 process: the number of reports and whether a workaround exists.
type Priority string

const (
	PriorityLow    Priority = "Low"
	PriorityMedium Priority = "Medium"
	PriorityHigh   Priority = "High"
	PriorityUrgent Priority = "Urgent"
)

// Priorities lists every priority from lowest to highest.
var Priorities = []Priority{PriorityLow, PriorityMedium, PriorityHigh, PriorityUrgent}

// Channel is how the caller reached HRC Tier 1.
type Channel string

const (
	ChannelPhone Channel = "phone"
	ChannelEmail Channel = "email"
	ChannelChat  Channel = "chat"
	ChannelWeb   Channel = "web"
)

var Channels = []Channel{ChannelPhone, ChannelEmail, ChannelChat, ChannelWeb}

// Product is the application the caller was using.
type Product string

const (
	ProductOnline1010EZ Product = "online-1010ez" // VA.gov online 10-10EZ
	ProductLegacyVOA    Product = "legacy-voa"    // legacy Veterans Online Application
)

var Products = []Product{ProductOnline1010EZ, ProductLegacyVOA}

// Tier is the organisation that owns a ticket.
type Tier string

const (
	TierHRC     Tier = "HRC Tier 1"
	TierVetsGov Tier = "vets.gov"
	TierES      Tier = "ES Tier 2/3"
)

// ParsePriority accepts a priority in any letter case.
func ParsePriority(s string) (Priority, error) {
	return parseEnum("priority", s, Priorities)
}

// ParseChannel accepts a channel in any letter case.
func ParseChannel(s string) (Channel, error) {
	return parseEnum("channel", s, Channels)
}

// ParseProduct accepts a product in any letter case.
func ParseProduct(s string) (Product, error) {
	return parseEnum("product", s, Products)
}

func parseEnum[T ~string](what, s string, allowed []T) (T, error) {
	for _, v := range allowed {
		if strings.EqualFold(string(v), strings.TrimSpace(s)) {
			return v, nil
		}
	}
	names := make([]string, len(allowed))
	for i, v := range allowed {
		names[i] = string(v)
	}
	var zero T
	if strings.TrimSpace(s) == "" {
		return zero, fmt.Errorf("%s is required (one of %s)", what, strings.Join(names, ", "))
	}
	return zero, fmt.Errorf("unknown %s %q (one of %s)", what, s, strings.Join(names, ", "))
}

// Valid reports whether p is one of the known priorities.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }
