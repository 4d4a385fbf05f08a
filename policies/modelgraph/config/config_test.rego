# METADATA
# title: Tests for the policy data
# description: >-
#   data.modelgraph.config is consistent - every reference points at something
#   that exists, so a typo in data.json cannot silently weaken a rule.
package modelgraph.config_test

import data.modelgraph.config

# METADATA
# title: Permission actions
# description: The actions permissions may name - configured actions, promote_protected and "*".
permission_actions := {a | some a in config.actions} | {"promote_protected", "*"}

# METADATA
# title: Roles
# description: The contract's five roles are configured.
test_contract_roles_exist if {
	every name in ["viewer", "contributor", "publisher", "approver", "admin"] {
		config.roles[name]
	}
}

# METADATA
# title: Includes
# description: Roles only include configured roles.
test_role_includes_are_known if {
	every _, role in config.roles {
		every included in role.includes {
			config.roles[included]
		}
	}
}

# METADATA
# title: Permissions
# description: Every permission names a known action and known kinds.
test_permissions_are_well_formed if {
	every _, role in config.roles {
		every p in role.permissions {
			p.action in permission_actions
			count(p.kinds) > 0
			every kind in p.kinds {
				kind in ({k | some k in config.resource_kinds} | {"*"})
			}
		}
	}
}

# METADATA
# title: Action lists
# description: Write, grantable and ownership actions are all configured actions.
test_action_lists_are_known if {
	every a in array.concat(array.concat(config.write_actions, config.grantable_actions), config.ownership.actions) {
		a in config.actions
	}
	not "grant" in config.grantable_actions
	not "admin" in config.grantable_actions
}

# METADATA
# title: Protected aliases
# description: Every protected alias has at least one numeric threshold.
test_protected_aliases_have_thresholds if {
	every alias in config.protected_aliases {
		count(config.promotion_thresholds[alias]) > 0
	}
	every _, thresholds in config.promotion_thresholds {
		every _, value in thresholds {
			is_number(value)
		}
	}
}

# METADATA
# title: Working hours
# description: Working hours are HH:MM with start before end, on real weekday names.
test_working_hours_are_valid if {
	regex.match(`^[0-2][0-9]:[0-5][0-9]$`, config.working_hours.start)
	regex.match(`^[0-2][0-9]:[0-5][0-9]$`, config.working_hours.end)
	config.working_hours.start < config.working_hours.end
	every day in config.working_hours.days {
		day in {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	}
}

# METADATA
# title: Threshold change limit
# description: The maximum relative threshold change is a positive number.
test_threshold_change_limit_is_positive if {
	config.threshold_change.max_relative_change > 0
}

# METADATA
# title: Protected environments
# description: Every protected environment has thresholds; publish ownership names known kinds.
test_protected_environments_have_thresholds if {
	every env in config.protected_environments {
		count(config.promotion_thresholds[env]) > 0
	}
	every kind in config.ownership.publish_kinds {
		kind in config.resource_kinds
	}
}

# METADATA
# title: Working hours time zone
# description: The time zone is one the OPA builtins know.
test_working_hours_time_zone_is_known if {
	time.clock([0, config.working_hours.time_zone])
}
