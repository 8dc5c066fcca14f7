-- The same code reopens the same feedback form (issue 11): a signed-in
-- attendee who took a code and left the form gets that code back until the
-- round closes. The claim keeps the code sealed (code) and its hash
-- (code_hash) to read its state. The answer is never linked to a code
-- (ratings are counts, words are rows with a random order key), so a claim
-- tells at most that its person answered, never what.
ALTER TABLE feedback_claims ADD COLUMN code {{blob}};
ALTER TABLE feedback_claims ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';
