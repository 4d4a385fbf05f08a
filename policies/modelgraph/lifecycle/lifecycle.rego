# METADATA
# title: Lifecycle guards
# description: A version that serves an active production deployment cannot be retired.
package modelgraph.lifecycle

import data.modelgraph.lib

# METADATA
# title: Deny
# description: Retiring while serving production would break the deployment.
deny contains "version serves an active production deployment" if {
	lib.action == "retire"
	lib.context.serving_production == true
}
