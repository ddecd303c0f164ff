package dynamicsfake

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// closeIncident is the CloseIncident action: it records an incident resolution and
// moves an active incident to statecode 1 with the given resolved statuscode.
func (a *fakeAPI) closeIncident() error {
	props, err := a.body()
	if err != nil {
		return err
	}
	var req struct {
		IncidentResolution map[string]json.RawMessage
		Status             *int
	}
	if raw, ok := props["IncidentResolution"]; ok {
		_ = json.Unmarshal(raw, &req.IncidentResolution)
	}
	if raw, ok := props["Status"]; ok {
		_ = json.Unmarshal(raw, &req.Status)
	}
	if req.IncidentResolution == nil {
		return badRequest("IncidentResolution is required")
	}
	if req.Status == nil {
		return badRequest("Status is required")
	}
	var res FakeResolution
	var incidentID string
	for _, p := range slices.Sorted(maps.Keys(req.IncidentResolution)) {
		raw := req.IncidentResolution[p]
		switch p {
		case "subject":
			res.Subject, err = jsonString(p, raw)
		case "description":
			res.Description, err = jsonString(p, raw)
		case "incidentid@odata.bind":
			var s string
			if s, err = jsonString(p, raw); err == nil {
				set, id, ok := parseBind(s)
				if !ok || set != "incidents" {
					err = badRequest("incidentid@odata.bind must be /incidents(GUID)")
				}
				incidentID = id
			}
		case "@odata.type", "timespent":
		default:
			err = invalidProperty(p, "Microsoft.Dynamics.CRM.incidentresolution")
		}
		if err != nil {
			return err
		}
	}
	switch {
	case incidentID == "":
		return badRequest("IncidentResolution must bind incidentid")
	case strings.TrimSpace(res.Subject) == "":
		return badRequest("IncidentResolution subject is required")
	}
	inc, err := a.f.incident(incidentID)
	if err != nil {
		return err
	}
	if inc.StateCode != stateActive {
		return badRequest("the incident is already %s; only an active incident can be resolved", stateName(inc.StateCode))
	}
	status := *req.Status
	if status == -1 { // -1 asks for the default resolved status
		status = statusProblemSolved
	}
	if !slices.Contains(validStatus[stateResolved], status) {
		return badRequest("Status %d is not a resolved statuscode (5 problem solved, 1000 information provided)", status)
	}
	inc.StateCode, inc.StatusCode, inc.Resolution = stateResolved, status, res
	inc.ModifiedOn = a.f.now()
	a.f.touch(inc)
	a.noContent()
	return nil
}

// merge is the Merge action for incidents: the subordinate is cancelled with status
// merged (2000) and its masterid set to the target; UpdateContent is written to the target.
func (a *fakeAPI) merge() error {
	props, err := a.body()
	if err != nil {
		return err
	}
	for _, p := range slices.Sorted(maps.Keys(props)) {
		if !slices.Contains([]string{"Target", "Subordinate", "UpdateContent", "PerformParentingChecks"}, p) {
			return badRequest("Merge has no parameter '%s'", p)
		}
	}
	target, err := a.mergeParty(props, "Target")
	if err != nil {
		return err
	}
	sub, err := a.mergeParty(props, "Subordinate")
	if err != nil {
		return err
	}
	if target == sub {
		return badRequest("an incident cannot be merged with itself")
	}
	if sub.StateCode != stateActive {
		return badRequest("the subordinate incident is %s; only an active incident can be merged", stateName(sub.StateCode))
	}
	updated := *target
	if raw, ok := props["UpdateContent"]; ok {
		var content map[string]json.RawMessage
		if json.Unmarshal(raw, &content) != nil {
			return badRequest("UpdateContent must be an incident")
		}
		if err := checkEntityType(content, "UpdateContent"); err != nil {
			return err
		}
		if err := a.f.applyIncidentFields(&updated, content); err != nil {
			return err
		}
		if err := a.f.checkIncident(&updated); err != nil {
			return err
		}
	}
	now := a.f.now()
	updated.ModifiedOn = now
	*target = updated
	sub.StateCode, sub.StatusCode, sub.MasterID, sub.ModifiedOn = stateCancelled, statusMerged, target.ID, now
	a.f.touch(target)
	a.f.touch(sub)
	a.noContent()
	return nil
}

// mergeParty finds the incident a Merge parameter names.
func (a *fakeAPI) mergeParty(props map[string]json.RawMessage, param string) (*FakeIncident, error) {
	var ref map[string]json.RawMessage
	if json.Unmarshal(props[param], &ref) != nil || ref == nil {
		return nil, badRequest("%s is required", param)
	}
	if err := checkEntityType(ref, param); err != nil {
		return nil, err
	}
	id, err := jsonString("incidentid", ref["incidentid"])
	if err != nil {
		return nil, err
	}
	if !isGUID(id) {
		return nil, badRequest("%s must have an incidentid GUID", param)
	}
	return a.f.incident(id)
}

// checkEntityType requires the @odata.type annotation Merge needs, because its
// parameters are of the abstract type crmbaseentity.
func checkEntityType(entity map[string]json.RawMessage, param string) error {
	t, err := jsonString("@odata.type", entity["@odata.type"])
	if err != nil || t != incidentType {
		return badRequest("%s must have \"@odata.type\": %q", param, incidentType)
	}
	return nil
}
