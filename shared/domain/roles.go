package domain

// Role is what a user does in the plant; it decides which events they may
// emit (see the permission column of registry in registry.go).
type Role string

const (
	RoleOperator Role = "operator" // files complaints at a station, chooses, verifies, rates
	RoleEngineer Role = "engineer" // quality engineer: acknowledges, analyses, acts, resolves
	RoleManager  Role = "manager"  // plant manager: approves preventive plans
	RoleAdmin    Role = "admin"    // edits reference data and accounts
	// RoleSystem is the software acting on a rule (an escalation when a
	// deadline passes, an effectiveness verdict), never a person.
	RoleSystem Role = "system"
)

// Roles lists every role.
var Roles = []Role{RoleOperator, RoleEngineer, RoleManager, RoleAdmin, RoleSystem}

// HumanRoles lists the roles a user account may hold.
var HumanRoles = []Role{RoleOperator, RoleEngineer, RoleManager, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// CanEmit reports whether the role may emit events of type t, from the one
// permission table in registry.go.
func (r Role) CanEmit(t EventType) bool {
	s, ok := registry[t]
	if !ok {
		return false
	}
	for _, x := range s.roles {
		if x == r {
			return true
		}
	}
	return false
}

// CheckPermission returns EForbidden, naming the rule, when the role may not
// emit the event type.
func CheckPermission(r Role, t EventType) error {
	if _, ok := registry[t]; !ok {
		return &Error{Code: EInvalid, Field: "type", Message: "unknown event type " + string(t)}
	}
	if !r.CanEmit(t) {
		return RuleError(EForbidden, "permission."+string(t), "a user with role %q may not %s", r, registry[t].verb)
	}
	return nil
}
