-- Undoes up.sql: the new tables go, tutors become teachers, practical tasks and the quiz
-- settings are removed, and `users` and `modules` are rebuilt with their former CHECKs.
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE completion_returns;
DROP TABLE course_tutors;
DROP TABLE task_scores;
DROP TABLE task_files;
DROP TABLE task_submissions;
DROP TABLE task_criteria;
DROP TABLE quiz_attempt_questions;
DROP TABLE quiz_attempts;
ALTER TABLE module_progress DROP COLUMN opened_at;
ALTER TABLE quiz_questions DROP COLUMN explanation;
ALTER TABLE courses DROP COLUMN sequential;
UPDATE users SET role = 'teacher' WHERE role = 'tutor';
DELETE FROM module_progress WHERE module_id IN (SELECT id FROM modules WHERE kind = 'task');
DELETE FROM modules WHERE kind = 'task';

CREATE TABLE users_rebuilt (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  email TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  full_name TEXT NOT NULL CHECK (length(full_name) > 0),
  role TEXT NOT NULL CHECK (role IN ('teacher', 'coordinator', 'admin')),
  region_id INTEGER REFERENCES regions (id),
  school_id INTEGER REFERENCES schools (id),
  category TEXT CHECK (category IN ('preschool', 'general', 'special', 'other')),
  language TEXT NOT NULL DEFAULT 'kk' CHECK (language IN ('kk', 'ru', 'en')),
  iin TEXT UNIQUE CHECK (length(iin) = 12),
  password_hash TEXT,
  session_version INTEGER NOT NULL DEFAULT 1,
  email_verified_at TIMESTAMP,
  disabled_at TIMESTAMP,
  last_reminded_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  version INTEGER NOT NULL DEFAULT 1,
  pending_iin TEXT CHECK (length(pending_iin) = 12),
  CHECK (role <> 'coordinator' OR region_id IS NOT NULL)
);
INSERT INTO users_rebuilt SELECT id, email, full_name, role, region_id, school_id, category, language, iin,
  password_hash, session_version, email_verified_at, disabled_at, last_reminded_at, created_at, updated_at,
  version, pending_iin FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_region_teachers ON users (region_id, role, full_name, id);
CREATE INDEX users_school ON users (school_id);
CREATE TRIGGER stats_users_insert AFTER INSERT ON users BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_users_update AFTER UPDATE OF role, region_id, category, school_id, full_name, email ON users BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_users_delete AFTER DELETE ON users BEGIN UPDATE stats_version SET version = version + 1; END;

CREATE TABLE modules_rebuilt (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position > 0),
  kind TEXT NOT NULL CHECK (kind IN ('lesson', 'quiz')),
  title TEXT NOT NULL CHECK (length(title) > 0),
  slug TEXT NOT NULL CHECK (length(slug) > 0),
  body_markdown TEXT NOT NULL DEFAULT '',
  video_url TEXT,
  transcript TEXT,
  pass_mark INTEGER CHECK (pass_mark BETWEEN 0 AND 100),
  required BOOLEAN NOT NULL DEFAULT TRUE,
  archived_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (course_id, position),
  UNIQUE (course_id, slug),
  CHECK (kind <> 'quiz' OR pass_mark IS NOT NULL)
);
INSERT INTO modules_rebuilt (id, course_id, position, kind, title, slug, body_markdown, video_url, transcript,
  pass_mark, required, archived_at, created_at, updated_at, version)
SELECT id, course_id, position, kind, title, slug, body_markdown, video_url, transcript,
  pass_mark, required, archived_at, created_at, updated_at, version FROM modules;
DROP TABLE modules;
ALTER TABLE modules_rebuilt RENAME TO modules;

COMMIT;
PRAGMA foreign_keys = ON;
