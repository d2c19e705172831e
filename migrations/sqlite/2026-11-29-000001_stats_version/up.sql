-- A counter bumped by every change that can move a dashboard figure (certificates issued or
-- revoked, enrolments started or finished, teachers registered or moved, schools, targets,
-- courses). The dashboards cache their figures per version, so a cached figure is never stale.
CREATE TABLE stats_version (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO stats_version (id, version) VALUES (1, 0);

CREATE TRIGGER stats_certificates_insert AFTER INSERT ON certificates BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_certificates_update AFTER UPDATE ON certificates BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_certificates_delete AFTER DELETE ON certificates BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_enrolments_insert AFTER INSERT ON enrolments BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_enrolments_update AFTER UPDATE OF status, user_id, course_id, enrolled_at, completed_at ON enrolments BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_enrolments_delete AFTER DELETE ON enrolments BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_users_insert AFTER INSERT ON users BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_users_update AFTER UPDATE OF role, region_id, category, school_id ON users BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_users_delete AFTER DELETE ON users BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_schools_insert AFTER INSERT ON schools BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_schools_update AFTER UPDATE ON schools BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_schools_delete AFTER DELETE ON schools BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_targets_insert AFTER INSERT ON targets BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_targets_update AFTER UPDATE ON targets BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_targets_delete AFTER DELETE ON targets BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_courses_insert AFTER INSERT ON courses BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_courses_update AFTER UPDATE OF title, status, counts_toward_target ON courses BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_courses_delete AFTER DELETE ON courses BEGIN UPDATE stats_version SET version = version + 1; END;
