-- Assessment integrity, practical tasks and the review of completions (issue 14).
--
-- SQLite cannot change a CHECK constraint in place: `users` (a new role, `tutor`) and `modules`
-- (a new kind, `task`, and the quiz settings) are rebuilt the documented way (sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"), with foreign keys off and outside diesel's
-- transaction (metadata.toml), in a transaction of its own.
--
-- The quiz settings of a module: `draw_count` questions drawn from its pool per attempt (all when
-- NULL); `attempts_allowed` attempts per `attempt_period_hours` (unlimited when NULL; in all, when
-- the period is NULL); `retry_wait_minutes` to wait after an attempt that did not pass; and
-- `feedback`: what an attempt shows (`after_pass`: the score, and right/wrong with explanations
-- once passed or after the last allowed attempt; `always`: everything after every attempt;
-- `score_only`: never more than the score).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE users_rebuilt (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  email TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
  full_name TEXT NOT NULL CHECK (length(full_name) > 0),
  role TEXT NOT NULL CHECK (role IN ('teacher', 'coordinator', 'admin', 'tutor')),
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
  kind TEXT NOT NULL CHECK (kind IN ('lesson', 'quiz', 'task')),
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
  draw_count INTEGER CHECK (draw_count > 0),
  attempts_allowed INTEGER CHECK (attempts_allowed > 0),
  attempt_period_hours INTEGER CHECK (attempt_period_hours > 0),
  retry_wait_minutes INTEGER NOT NULL DEFAULT 0 CHECK (retry_wait_minutes >= 0),
  feedback TEXT NOT NULL DEFAULT 'after_pass' CHECK (feedback IN ('after_pass', 'always', 'score_only')),
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

-- A course may ask for its required modules in order (a module opens once the required ones
-- before it are done). Whatever this says, a quiz opens only after the required lessons before it.
ALTER TABLE courses ADD COLUMN sequential BOOLEAN NOT NULL DEFAULT FALSE;

-- Shown with a question once feedback is shown (see modules.feedback).
ALTER TABLE quiz_questions ADD COLUMN explanation TEXT NOT NULL DEFAULT '';

-- When the teacher first opened the module: a lesson is completed only after it was opened.
ALTER TABLE module_progress ADD COLUMN opened_at TIMESTAMP;

-- One attempt at a quiz: drawn when the teacher opens the quiz (questions from the pool in a
-- random order, each with its options shuffled), graded once when submitted. At most one attempt
-- per enrolment and quiz is open (not yet submitted), so a reload shows the same attempt.
CREATE TABLE quiz_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  module_id INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  drawn_at TIMESTAMP NOT NULL,
  submitted_at TIMESTAMP,
  score INTEGER CHECK (score BETWEEN 0 AND 100),
  passed BOOLEAN,
  CHECK ((submitted_at IS NULL) = (score IS NULL)),
  CHECK ((submitted_at IS NULL) = (passed IS NULL))
);
CREATE UNIQUE INDEX quiz_attempts_open ON quiz_attempts (enrolment_id, module_id) WHERE submitted_at IS NULL;
CREATE INDEX quiz_attempts_enrolment ON quiz_attempts (enrolment_id, module_id, submitted_at);
CREATE INDEX quiz_attempts_module ON quiz_attempts (module_id);

-- The questions of an attempt in the order shown; `option_order` is the option ids as shown
-- ("12,10,11"), `chosen` the ids the teacher chose, `correct` the grade, both once submitted.
CREATE TABLE quiz_attempt_questions (
  attempt_id INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position > 0),
  question_id INTEGER NOT NULL REFERENCES quiz_questions (id) ON DELETE CASCADE,
  option_order TEXT NOT NULL CHECK (length(option_order) > 0),
  chosen TEXT,
  correct BOOLEAN,
  PRIMARY KEY (attempt_id, position),
  UNIQUE (attempt_id, question_id)
);
CREATE INDEX quiz_attempt_questions_question ON quiz_attempt_questions (question_id);

-- A practical task's rubric: the criteria a reviewer scores, each out of `max_score`.
CREATE TABLE task_criteria (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  module_id INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position > 0),
  title TEXT NOT NULL CHECK (length(title) > 0),
  description TEXT NOT NULL DEFAULT '',
  max_score INTEGER NOT NULL CHECK (max_score BETWEEN 1 AND 100),
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (module_id, position)
);

-- A teacher's submission of a practical task. Each resubmission is a new row, so the history
-- of returns and feedback stays; at most one waits for review per enrolment and task.
CREATE TABLE task_submissions (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  module_id INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  body TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'passed', 'returned')),
  submitted_at TIMESTAMP NOT NULL,
  reviewed_at TIMESTAMP,
  reviewer_id INTEGER REFERENCES users (id),
  feedback TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK ((status = 'submitted') = (reviewed_at IS NULL)),
  CHECK ((status = 'submitted') = (reviewer_id IS NULL))
);
CREATE UNIQUE INDEX task_submissions_waiting ON task_submissions (enrolment_id, module_id) WHERE status = 'submitted';
CREATE INDEX task_submissions_queue ON task_submissions (status, submitted_at);
CREATE INDEX task_submissions_enrolment ON task_submissions (enrolment_id, module_id);
CREATE INDEX task_submissions_module ON task_submissions (module_id);

-- Files attached to a submission, kept in the database so that every instance serves them.
-- `content_type` is what the content was recognised as, never what the browser claimed.
CREATE TABLE task_files (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  submission_id INTEGER NOT NULL REFERENCES task_submissions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position > 0),
  file_name TEXT NOT NULL CHECK (length(file_name) > 0),
  content_type TEXT NOT NULL CHECK (length(content_type) > 0),
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  content BLOB NOT NULL,
  UNIQUE (submission_id, position)
);

-- A reviewer's score of one criterion of a submission.
CREATE TABLE task_scores (
  submission_id INTEGER NOT NULL REFERENCES task_submissions (id) ON DELETE CASCADE,
  criterion_id INTEGER NOT NULL REFERENCES task_criteria (id) ON DELETE CASCADE,
  score INTEGER NOT NULL CHECK (score >= 0),
  PRIMARY KEY (submission_id, criterion_id)
);
CREATE INDEX task_scores_criterion ON task_scores (criterion_id);

-- Tutors (users with the role `tutor`) review the practical tasks of the courses an
-- administrator appointed them to.
CREATE TABLE course_tutors (
  course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  appointed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_tutors_user ON course_tutors (user_id);

-- A completion an administrator returned instead of issuing its certificate: the reason the
-- teacher is told, and when the completion had been reached. The enrolment is active again.
CREATE TABLE completion_returns (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  returned_by INTEGER NOT NULL REFERENCES users (id),
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  completed_at TIMESTAMP NOT NULL,
  returned_at TIMESTAMP NOT NULL
);
CREATE INDEX completion_returns_enrolment ON completion_returns (enrolment_id);
CREATE INDEX completion_returns_returned_by ON completion_returns (returned_by);

COMMIT;
PRAGMA foreign_keys = ON;
