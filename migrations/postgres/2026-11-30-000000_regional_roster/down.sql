DROP TRIGGER stats_users_update ON users;
CREATE TRIGGER stats_users_update AFTER UPDATE OF role, region_id, category, school_id ON users FOR EACH STATEMENT EXECUTE FUNCTION bump_stats_version();

DROP INDEX enrolments_course_activity;
CREATE INDEX enrolments_course_status ON enrolments (course_id, status);

DROP INDEX users_region_teachers;
CREATE INDEX users_region_role ON users (region_id, role);
