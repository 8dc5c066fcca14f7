-- A site's clashes look up the meetings its facilitators run anywhere
-- (issue 14: the site page read every planned meeting to find them).
CREATE INDEX sessions_facilitator ON sessions(facilitator_id, planned_start);
CREATE INDEX sessions_co_facilitator ON sessions(co_facilitator_id, planned_start);
