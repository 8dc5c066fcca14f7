-- Deleting a row makes the database look for the rows that point at it;
-- without an index on the pointing column that is a scan of the whole
-- table per row deleted. Planning ahead deletes the meetings a schedule no
-- longer has: on the country data set each delete read all the meetings
-- (moved_to_id) and every other table below that points at meetings.
-- TestForeignKeysIntoDeletedRowsLeadAnIndex keeps this list complete.
-- Meetings rarely move or have a topic: those two index only the rows that do.
CREATE INDEX sessions_moved_to ON sessions(moved_to_id) WHERE moved_to_id IS NOT NULL;
CREATE INDEX sessions_topic ON sessions(topic_id) WHERE topic_id IS NOT NULL;
CREATE INDEX answer_links_session ON answer_links(session_id);
CREATE INDEX feedback_tokens_session ON feedback_tokens(session_id);
CREATE INDEX public_requests_session ON public_requests(session_id);
CREATE INDEX rota_swaps_session_a ON rota_swaps(session_a);
CREATE INDEX rota_swaps_session_b ON rota_swaps(session_b);
CREATE INDEX checkin_turns_attendance ON checkin_turns(attendance_id);
CREATE INDEX agenda_templates_site ON agenda_templates(site_id);
CREATE INDEX calendar_feeds_site ON calendar_feeds(site_id);
CREATE INDEX complaints_site ON complaints(site_id);
