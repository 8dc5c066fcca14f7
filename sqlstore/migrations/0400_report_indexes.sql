-- Indexes for the reports on the national data set (issue 6). Sheet 3 and
-- the roll-ups select a scope's meetings by group and local date, then the
-- presences at them; without these, SQLite read every meeting of every
-- group in scope since the group began (five years) to keep one quarter's,
-- and went back to the table for each attendance row.

-- A group's meetings in a date range, with their status: the trend query
-- needs nothing else.
CREATE INDEX sessions_group_date ON sessions(group_id, local_date, status);

-- Who was present at a meeting, as the reports count it, without reading
-- the attendance table itself.
CREATE INDEX attendance_session_status ON attendance(session_id, status, kind, person_id, guest_name);
