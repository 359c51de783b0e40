package datasets

import "fmt"

// MetadataRole is the Arrow field metadata key that carries a column's role.
const MetadataRole = "recaudit.role"

// Role is what a column means to recaudit.
type Role int

// Column roles. The string form (see [Role.String]) is what the
// "recaudit.role" field metadata and the command-line flags use.
const (
	RoleNone      Role = iota // no role assigned yet: the defaults decide
	RoleUserID                // "user_id": the user key
	RoleItemID                // "item_id": the item key
	RoleValue                 // "value": rating, count or weight of an interaction
	RoleTimestamp             // "timestamp": when an interaction happened
	RoleSensitive             // "sensitive": a protected user attribute, read only when scoring
	RoleAttribute             // "attribute": a non-sensitive attribute
	RoleConsent               // "consent": a user's consent to personalisation (bool)
	RoleItemGroup             // "item_group": provider, category or another item grouping
	RoleFlag                  // "flag": a boolean item flag, e.g. high_cost_credit
	RoleIgnore                // "ignore": read nothing from this column
)

var roleNames = [...]string{
	RoleNone:      "none",
	RoleUserID:    "user_id",
	RoleItemID:    "item_id",
	RoleValue:     "value",
	RoleTimestamp: "timestamp",
	RoleSensitive: "sensitive",
	RoleAttribute: "attribute",
	RoleConsent:   "consent",
	RoleItemGroup: "item_group",
	RoleFlag:      "flag",
	RoleIgnore:    "ignore",
}

// String returns the role's name as used in field metadata and flags.
func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("Role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole maps a role name to its Role. It accepts the names returned by
// [Role.String].
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if n == s && Role(r) != RoleNone {
			return Role(r), nil
		}
	}
	return RoleNone, fmt.Errorf("%w: unknown column role %q (valid: sensitive, attribute, consent, item_group, flag, value, timestamp, user_id, item_id, ignore)", ErrSchema, s)
}
