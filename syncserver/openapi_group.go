package syncserver

import "boucle/shared/syncproto"

// The group's routes in the OpenAPI document (group.go).

func groupOpenAPIPaths() obj {
	g := syncproto.Prefix + "/group"
	bbolt := "404: on a store of one plant (bbolt), every group route answers code not_found, rule group.single_plant. "
	forbidden := reply("A plant's session (code forbidden, rule group.plant_session): sign in with a group account.", ref("ErrorBody"))
	plantParam := q("plant", "the plants reported, repeatable or comma-separated (every plant of the group)", strList)
	return obj{
		g + syncproto.RouteLogin: obj{"post": withBody(op(bbolt+"Sign a group account in: its tokens read every plant's reports and write nothing.", []string{"group"}, public, nil,
			errs(obj{"200": reply("Group tokens", ref("GroupTokens"))}, "400", "401", "404", "413", "429")), ref("LoginRequest"))},
		g + syncproto.RouteRefresh: obj{"post": withBody(op(bbolt+"Rotate a group refresh token, as /auth/refresh does a plant's.", []string{"group"}, public, nil,
			errs(obj{"200": reply("Group tokens", ref("GroupTokens"))}, "400", "401", "404", "413")), ref("RefreshRequest"))},
		g + syncproto.RouteLogout: obj{"post": withBody(op(bbolt+"Revoke a group sign-in and its access tokens.", []string{"group"}, public, nil,
			errs(obj{"204": reply("Signed out (also for an unknown token)", nil)}, "400", "404", "413")), ref("RefreshRequest"))},
		g + "/plants": obj{"get": op(bbolt+"The plants of the group, by id, with their log's length.", []string{"group"}, bearer, nil,
			errs(obj{"200": reply("Plants", list("plants", "GroupPlant")), "403": forbidden}, "401", "404"))},
		g + "/reports/indicators": obj{"get": op(bbolt+"Each plant's indicators, side by side: for each plant, what its own /reports/indicators answers to the same parameters. A bad parameter is refused naming it (plant: a plant the group does not hold).", []string{"group"}, bearer,
			reportParams(plantParam), errs(obj{"200": reply("Indicators per plant", groupReportOf("indicators", ref("Object"))), "403": forbidden}, "400", "401", "404"))},
		g + "/reports/scorecards": obj{"get": op(bbolt+"Each plant's scorecards, side by side: for each plant, what its own /reports/scorecards answers to the same parameters.", []string{"group"}, bearer,
			reportParams(plantParam), errs(obj{"200": reply("Scorecards per plant", groupReportOf("scorecards", obj{"type": "array", "items": ref("Object")})), "403": forbidden}, "400", "401", "404"))},
	}
}

// groupReportOf is a group report: the filter and settings read, and a
// row per plant holding the plant's report.
func groupReportOf(name string, report obj) obj {
	return props("filter", ref("Object"), "settings", ref("Object"), "now", str,
		"plants", obj{"type": "array", "items": props("plant", str, name, report)})
}

func groupOpenAPISchemas() obj {
	return obj{
		"GroupUser":   props("login", str, "display_name", str, "role", str, "disabled", boolean, "created", str, "password_changed", str),
		"GroupTokens": props("access_token", str, "refresh_token", str, "expires_in", integer, "account", ref("GroupUser")),
		"GroupPlant":  props("id", str, "created", str, "events", integer),
	}
}
