-- The regional dashboard caches a region's teachers in name order, with their names and emails
-- (what its search looks in): one index reads them in that order (and serves the per-region
-- counts the old index served), and a change of name or email bumps `stats_version`.
DROP INDEX users_region_role;
CREATE INDEX users_region_teachers ON users (region_id, role, full_name, id);

-- Who was active lately, per course that counts: a covering range per course (the courses are
-- few, and the planner starts from them).
DROP INDEX enrolments_course_status;
CREATE INDEX enrolments_course_activity ON enrolments (course_id, status, last_activity_at, user_id);

DROP TRIGGER stats_users_update;
CREATE TRIGGER stats_users_update AFTER UPDATE OF role, region_id, category, school_id, full_name, email ON users BEGIN UPDATE stats_version SET version = version + 1; END;
