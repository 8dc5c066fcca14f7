package web_test

// Routes of issue 10 (trust). The field-level rules of POST /people/{person}
// have their own matrix: fieldRules in identity_test.go.
var _ = addRules(
	// The owner's own e-mail: signed in, the handler checks the password.
	accessRule{Pattern: "POST /profile/email", Expect: signedIn},
	// No proposal waits in the fixture: nothing to confirm or decline.
	accessRule{Pattern: "POST /profile/email/confirm", Expect: "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
	accessRule{Pattern: "POST /profile/email/decline", Expect: "anon:L admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"},
	// The undo link works for whoever holds it (the old address).
	accessRule{Pattern: "GET /email/undo/{token}", Expect: everyone},
	accessRule{Pattern: "POST /email/undo/{token}", Expect: everyone},
)
