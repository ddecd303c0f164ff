package sla

import (
	"strings"
	"testing"
	"time"
)

func TestNewBusinessHours(t *testing.T) {
	tests := []struct {
		name, zone, start, end string
		wantErr                string // substring; "" means success
	}{
		{"office hours", "America/New_York", "08:00", "17:00", ""},
		{"UTC", "UTC", "09:30", "18:15", ""},
		{"until midnight", "Europe/Berlin", "00:00", "24:00", ""},
		{"unknown zone", "Mars/Olympus_Mons", "08:00", "17:00", `unknown time zone "Mars/Olympus_Mons"`},
		{"empty zone", "", "08:00", "17:00", "time zone is empty"},
		{"host zone", "Local", "08:00", "17:00", `"Local" depends on the host`},
		{"hour 25", "America/New_York", "08:00", "25:00", `day end: "25:00" has hour 25`},
		{"start at 24:00", "America/New_York", "24:00", "24:00", `day start: "24:00" has hour 24`},
		{"past midnight", "America/New_York", "08:00", "24:30", `"24:30" has hour 24`},
		{"minute 60", "America/New_York", "12:60", "17:00", `"12:60" has minute 60`},
		{"empty start", "America/New_York", "", "17:00", "day start: empty"},
		{"empty end", "America/New_York", "08:00", "", "day end: empty"},
		{"single-digit hour", "America/New_York", "8:00", "17:00", `"8:00" is not HH:MM`},
		{"am/pm", "America/New_York", "08:00", "5pm", `"5pm" is not HH:MM`},
		{"seconds", "America/New_York", "08:00:00", "17:00", `"08:00:00" is not HH:MM`},
		{"end before start", "America/New_York", "17:00", "08:00", `day end "08:00" is not after day start "17:00"`},
		{"empty day", "America/New_York", "09:00", "09:00", "is not after day start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBusinessHours(tt.zone, tt.start, tt.end)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if b.Location.String() != tt.zone {
					t.Errorf("Location = %v, want %v", b.Location, tt.zone)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewBusinessHoursOffsets(t *testing.T) {
	b, err := NewBusinessHours("UTC", "09:30", "24:00")
	if err != nil {
		t.Fatal(err)
	}
	if b.DayStart != 9*time.Hour+30*time.Minute || b.DayEnd != 24*time.Hour {
		t.Errorf("hours = %v-%v, want 9h30m-24h", b.DayStart, b.DayEnd)
	}
}
