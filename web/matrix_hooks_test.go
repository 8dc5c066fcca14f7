package web_test

// Providers' callbacks: nobody gets in by being signed in; only a
// provider's signature is believed (web/hooks_test.go signs them).
const nobody = "anon:N admin:N coordinator:N organiser:N facilitator:N member:N supervisor:N trainer:N"

var _ = addRules(
	accessRule{Pattern: "POST /hooks/{channel}", Path: "/hooks/sms", Form: map[string][]string{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}, Expect: nobody},
	accessRule{Pattern: "GET /hooks/{channel}", Path: "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", Expect: nobody},
)
