-- The rota is a plan that changes only by explicit acts (issue 11): a
-- member's apologies with the substitute they proposed, a swap both people
-- accepted, the organiser's decision, or a turn left by someone who went
-- on leave or left the group. Each change is a row: who, which meeting,
-- the old and the new person; messages (in the app, and by the outbox by
-- e-mail, SMS or WhatsApp) are derived from it.
CREATE TABLE rota_changes (
    id {{id}},
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    old_person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    new_person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    by_person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    swap_id BIGINT,
    created_at {{time}} NOT NULL
);
CREATE INDEX rota_changes_group ON rota_changes(group_id, created_at);
CREATE INDEX rota_changes_session ON rota_changes(session_id);

-- A swap one member proposes and the other answers: their turn in a role
-- at one meeting for the other's turn in the same role at another.
CREATE TABLE rota_swaps (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    session_a BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_a BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    session_b BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_b BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    decided_at {{time}}
);
CREATE INDEX rota_swaps_group ON rota_swaps(group_id, state);
CREATE INDEX rota_swaps_person_b ON rota_swaps(person_b, state);
