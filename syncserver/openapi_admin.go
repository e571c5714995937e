package syncserver

import "boucle/shared/syncproto"

// The admin API's part of the OpenAPI document (adminhttp.go).

func adminOpenAPIPaths() obj {
	api := syncproto.Prefix
	tags := []string{"admin"}
	admin := func(summary string, params []obj, ok obj, statuses ...string) obj {
		return op(summary, tags, bearer, params, errs(obj{"200": ok}, append([]string{"401", "403", "429"}, statuses...)...))
	}
	body := func(o obj, schema string) obj { return withBody(o, ref(schema)) }
	id := func(desc string) []obj { return []obj{param("id", "path", desc, str)} }
	one := func(collection, action string) string {
		p := api + collection + "/{id}"
		if action != "" {
			p += "/" + action
		}
		return p
	}
	station, user, category, device := id("the station's code"), id("the user's login"), id("the category's code"), id("the device's id")
	return obj{
		api + syncproto.RouteAdminStations: obj{
			"get":  admin("Stations by code, retired ones included.", nil, reply("Stations", array("Station"))),
			"post": body(admin("Define a station (or a retired one's code again).", nil, reply("The station", ref("Station")), "400", "409"), "NewStation"),
		},
		one(syncproto.RouteAdminStations, ""):                    obj{"put": body(admin("Rename a station.", station, reply("The station", ref("Station")), "400", "404"), "StationName")},
		one(syncproto.RouteAdminStations, syncproto.AdminRetire): obj{"post": body(admin("Retire a station (reason required).", station, reply("The station", ref("Station")), "400", "404"), "Reason")},

		api + syncproto.RouteAdminUsers: obj{
			"get":  admin("The directory by login, with whether each user has a password.", nil, reply("Users", array("AdminUser"))),
			"post": body(admin("Register a user; without a password the server chooses one, answered once.", nil, reply("The login, and the password the server chose", ref("Credentials")), "400", "409"), "NewUser"),
		},
		one(syncproto.RouteAdminUsers, ""):                      obj{"put": body(admin("Replace a user's display name, role and home station. 409 rule user.last_admin: it would leave no active administrator.", user, reply("The user", ref("AdminUser")), "400", "404", "409"), "UserUpdate")},
		one(syncproto.RouteAdminUsers, syncproto.AdminDisable):  obj{"post": body(admin("Disable a user (reason required) and revoke their sessions. 409 rule user.last_admin: the last active administrator.", user, reply("The user", ref("AdminUser")), "400", "404", "409"), "Reason")},
		one(syncproto.RouteAdminUsers, syncproto.AdminEnable):   obj{"post": body(admin("Enable a disabled user.", user, reply("The user", ref("AdminUser")), "400", "404"), "Note")},
		one(syncproto.RouteAdminUsers, syncproto.AdminPassword): obj{"post": body(admin("Set a user's password (chosen by the server, answered once, when empty) and revoke their sessions.", user, reply("The login, and the password the server chose", ref("Credentials")), "400", "404"), "PasswordReset")},

		api + syncproto.RouteAdminCategories: obj{
			"get":  admin("Defect categories by code, retired ones included.", nil, reply("Categories", array("Category"))),
			"post": body(admin("Define a category (or a retired one's code again).", nil, reply("The category", ref("Category")), "400", "409"), "NewCategory"),
		},
		one(syncproto.RouteAdminCategories, ""):                    obj{"put": body(admin("Relabel a category.", category, reply("The category", ref("Category")), "400", "404"), "CategoryLabels")},
		one(syncproto.RouteAdminCategories, syncproto.AdminRetire): obj{"post": body(admin("Retire a category (reason required).", category, reply("The category", ref("Category")), "400", "404"), "Reason")},

		api + syncproto.RouteAdminSeverities:    obj{"get": admin("Default handling times of minor, major and critical.", nil, reply("Severities", array("SeverityConfig")))},
		one(syncproto.RouteAdminSeverities, ""): obj{"put": body(admin("Set a severity's default handling times.", id("minor, major or critical"), reply("The severity", ref("SeverityConfig")), "400"), "SeverityDeadlines")},

		api + syncproto.RouteAdminDevices:                            obj{"get": admin("Enrolled workstations, revoked ones included.", nil, reply("Devices", array("AdminDevice")))},
		api + syncproto.RouteAdminEnrolments:                         obj{"post": body(admin("Issue a one-time enrolment code, answered once.", nil, reply("The code", ref("EnrolmentCode")), "400"), "EnrolmentRequest")},
		one(syncproto.RouteAdminDevices, syncproto.AdminReplacement): obj{"post": body(admin("Issue a one-time code that may take over this device's replica (the device is revoked when it is used).", device, reply("The code", ref("EnrolmentCode")), "400", "404"), "EnrolmentRequest")},
		one(syncproto.RouteAdminDevices, syncproto.AdminRevoke):      obj{"post": body(admin("Revoke a device (reason optional).", device, reply("The device", ref("AdminDevice")), "400", "404"), "Reason")},
	}
}

func array(item string) obj { return obj{"type": "array", "items": ref(item)} }

func adminOpenAPISchemas() obj {
	return obj{
		"Station":           props("code", str, "name", str, "retired", boolean),
		"Category":          props("code", str, "label_en", str, "label_fr", str, "retired", boolean),
		"SeverityConfig":    props("severity", str, "ack_hours", integer, "resolve_hours", integer),
		"AdminUser":         props("login", str, "display_name", str, "role", str, "station", str, "disabled", boolean, "has_password", boolean, "password_changed", str),
		"AdminDevice":       props("id", str, "name", str, "note", str, "issued_by", str, "station", str, "series", str, "enrolled", str, "last_seen", str, "revoked", boolean, "revoked_at", str, "revoked_by", str, "why", str),
		"NewStation":        props("code", str, "name", str),
		"StationName":       props("name", str),
		"Reason":            props("reason", str),
		"Note":              props("note", str),
		"NewUser":           props("login", str, "display_name", str, "role", str, "station", str, "password", str),
		"UserUpdate":        props("display_name", str, "role", str, "station", str),
		"PasswordReset":     props("password", str),
		"Credentials":       props("login", str, "password", str),
		"NewCategory":       props("code", str, "label_en", str, "label_fr", str),
		"CategoryLabels":    props("label_en", str, "label_fr", str),
		"SeverityDeadlines": props("ack_hours", integer, "resolve_hours", integer),
		"EnrolmentRequest":  props("note", str, "valid_hours", integer),
		"EnrolmentCode":     props("code", str, "expires", str),
	}
}
