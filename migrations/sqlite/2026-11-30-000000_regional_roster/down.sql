DROP TRIGGER stats_users_update;
CREATE TRIGGER stats_users_update AFTER UPDATE OF role, region_id, category, school_id ON users BEGIN UPDATE stats_version SET version = version + 1; END;

DROP INDEX enrolments_course_activity;
CREATE INDEX enrolments_course_status ON enrolments (course_id, status);

DROP INDEX users_region_teachers;
CREATE INDEX users_region_role ON users (region_id, role);
