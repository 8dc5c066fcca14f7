package web_test

import "net/url"

// My data (DESIGN.md rule 4): every signed-in person sees, exports and
// erases their own data; only admins erase someone else's. The erase
// forms carry the password, so an allowed erasure really happens (each in
// its own copy of the database); the fixture's one admin is refused
// erasing themselves (the last admin), which still counts as allowed.
var erasePassword = url.Values{"password": {testPassword}}

var _ = addRules(
	accessRule{Pattern: "GET /me/data", Expect: signedIn},
	accessRule{Pattern: "GET /me/data.json", Expect: signedIn},
	accessRule{Pattern: "GET /me/erase", Expect: signedIn},
	accessRule{Pattern: "POST /me/erase", Form: erasePassword, Expect: signedIn},
	accessRule{Pattern: "GET /people/{person}/erase", Expect: adminOnly},
	accessRule{Pattern: "POST /people/{person}/erase", Form: erasePassword, Expect: adminOnly},
)
