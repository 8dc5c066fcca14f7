-- The people list pages by key in name order (issue 14): found by this
-- index instead of sorting every person on each page.
CREATE INDEX people_name ON people(full_name, id);
