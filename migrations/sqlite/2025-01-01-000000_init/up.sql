-- Ustaz: the whole domain of PRODUCT.md. Later changes add behaviour, not tables.
-- Times are UTC without a zone (TIMESTAMP); dates are calendar dates.

CREATE TABLE regions (
  id INTEGER PRIMARY KEY NOT NULL,
  code TEXT NOT NULL UNIQUE CHECK (code LIKE 'KZ-%'),
  kind TEXT NOT NULL CHECK (kind IN ('region', 'city')),
  name_kk TEXT NOT NULL,
  name_ru TEXT NOT NULL,
  name_en TEXT NOT NULL,
  population_thousands INTEGER NOT NULL CHECK (population_thousands > 0)
);

CREATE TABLE schools (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  region_id INTEGER NOT NULL REFERENCES regions (id),
  name TEXT NOT NULL CHECK (length(name) > 0),
  kind TEXT NOT NULL CHECK (kind IN ('school', 'kindergarten', 'special', 'college', 'other')),
  district TEXT,
  inclusive_conditions BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (region_id, name)
);

CREATE TABLE users (
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
  CHECK (role <> 'coordinator' OR region_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_region_role ON users (region_id, role);
CREATE INDEX users_school ON users (school_id);

-- Single-use links (email confirmation, password reset, invitation); only a hash of the token is kept.
CREATE TABLE user_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation')),
  token_hash TEXT NOT NULL UNIQUE,
  expires_at TIMESTAMP NOT NULL,
  used_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

-- Failed sign-ins per account and per client address, shared by every app instance.
CREATE TABLE login_throttles (
  throttle_key TEXT PRIMARY KEY NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE courses (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  slug TEXT NOT NULL UNIQUE CHECK (length(slug) > 0),
  title TEXT NOT NULL CHECK (length(title) > 0),
  summary TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
  hours INTEGER NOT NULL CHECK (hours > 0 AND hours <= 1000),
  competency_area TEXT NOT NULL CHECK (competency_area IN ('inclusive', 'subject', 'digital')),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  counts_toward_target BOOLEAN NOT NULL DEFAULT TRUE,
  certificate_mode TEXT NOT NULL DEFAULT 'automatic' CHECK (certificate_mode IN ('automatic', 'reviewed')),
  published_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX courses_status ON courses (status);

-- The teaching categories a course is written for.
CREATE TABLE course_audiences (
  course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  category TEXT NOT NULL CHECK (category IN ('preschool', 'general', 'special', 'other')),
  PRIMARY KEY (course_id, category)
);

CREATE TABLE modules (
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
  UNIQUE (course_id, position),
  UNIQUE (course_id, slug),
  CHECK (kind <> 'quiz' OR pass_mark IS NOT NULL)
);

CREATE TABLE quiz_questions (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  module_id INTEGER NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position > 0),
  prompt TEXT NOT NULL CHECK (length(prompt) > 0),
  multiple BOOLEAN NOT NULL DEFAULT FALSE,
  UNIQUE (module_id, position)
);

CREATE TABLE quiz_options (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  question_id INTEGER NOT NULL REFERENCES quiz_questions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position > 0),
  label TEXT NOT NULL CHECK (length(label) > 0),
  is_correct BOOLEAN NOT NULL DEFAULT FALSE,
  UNIQUE (question_id, position)
);

CREATE TABLE enrolments (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id),
  course_id INTEGER NOT NULL REFERENCES courses (id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'withdrawn')),
  enrolled_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  completed_at TIMESTAMP,
  withdrawn_at TIMESTAMP,
  last_activity_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (user_id, course_id),
  CHECK (status <> 'completed' OR completed_at IS NOT NULL)
);
CREATE INDEX enrolments_course_status ON enrolments (course_id, status);
CREATE INDEX enrolments_status_activity ON enrolments (status, last_activity_at);

CREATE TABLE module_progress (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  module_id INTEGER NOT NULL REFERENCES modules (id),
  completed_at TIMESTAMP,
  best_score INTEGER CHECK (best_score BETWEEN 0 AND 100),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (enrolment_id, module_id)
);
CREATE INDEX module_progress_module ON module_progress (module_id);

CREATE TABLE certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  enrolment_id INTEGER NOT NULL UNIQUE REFERENCES enrolments (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  course_id INTEGER NOT NULL REFERENCES courses (id),
  serial TEXT NOT NULL UNIQUE,
  serial_year INTEGER NOT NULL,
  serial_number INTEGER NOT NULL CHECK (serial_number > 0),
  verification_code TEXT NOT NULL UNIQUE CHECK (length(verification_code) >= 16),
  teacher_name TEXT NOT NULL,
  course_title TEXT NOT NULL,
  hours INTEGER NOT NULL CHECK (hours > 0),
  issued_at TIMESTAMP NOT NULL,
  issued_by INTEGER REFERENCES users (id),
  issue_reason TEXT,
  revoked_at TIMESTAMP,
  revoked_by INTEGER REFERENCES users (id),
  revocation_reason TEXT,
  UNIQUE (serial_year, serial_number),
  CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
);
-- The counting rule: non-revoked certificates of counting courses, by issue date, per teacher.
CREATE INDEX certificates_course_issued ON certificates (course_id, issued_at, user_id);
CREATE INDEX certificates_user ON certificates (user_id);

CREATE TABLE targets (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name TEXT NOT NULL CHECK (length(name) > 0),
  teachers INTEGER NOT NULL CHECK (teachers > 0),
  starts_on DATE NOT NULL,
  deadline DATE NOT NULL,
  region_id INTEGER REFERENCES regions (id),
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CHECK (deadline >= starts_on)
);
CREATE INDEX targets_region ON targets (region_id, deadline);

-- Written in the transaction of the event that causes the email; sent by a worker with retries.
CREATE TABLE outbox_emails (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  recipient TEXT NOT NULL,
  recipient_name TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL CHECK (language IN ('kk', 'ru', 'en')),
  subject TEXT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  send_after TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  sent_at TIMESTAMP
);
CREATE INDEX outbox_emails_pending ON outbox_emails (sent_at, send_after);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  actor_id INTEGER REFERENCES users (id),
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id INTEGER,
  details TEXT NOT NULL DEFAULT '{}',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX audit_events_created ON audit_events (created_at);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id);

INSERT INTO regions (id, code, kind, name_kk, name_ru, name_en, population_thousands) VALUES
  (1, 'KZ-10', 'region', 'Абай облысы', 'Абайская область', 'Abai Region', 610),
  (2, 'KZ-11', 'region', 'Ақмола облысы', 'Акмолинская область', 'Akmola Region', 790),
  (3, 'KZ-15', 'region', 'Ақтөбе облысы', 'Актюбинская область', 'Aktobe Region', 930),
  (4, 'KZ-19', 'region', 'Алматы облысы', 'Алматинская область', 'Almaty Region', 1530),
  (5, 'KZ-23', 'region', 'Атырау облысы', 'Атырауская область', 'Atyrau Region', 700),
  (6, 'KZ-27', 'region', 'Батыс Қазақстан облысы', 'Западно-Казахстанская область', 'West Kazakhstan Region', 690),
  (7, 'KZ-31', 'region', 'Жамбыл облысы', 'Жамбылская область', 'Jambyl Region', 1220),
  (8, 'KZ-33', 'region', 'Жетісу облысы', 'Жетысуская область', 'Jetisu Region', 700),
  (9, 'KZ-35', 'region', 'Қарағанды облысы', 'Карагандинская область', 'Karaganda Region', 1130),
  (10, 'KZ-39', 'region', 'Қостанай облысы', 'Костанайская область', 'Kostanay Region', 830),
  (11, 'KZ-43', 'region', 'Қызылорда облысы', 'Кызылординская область', 'Kyzylorda Region', 830),
  (12, 'KZ-47', 'region', 'Маңғыстау облысы', 'Мангистауская область', 'Mangystau Region', 780),
  (13, 'KZ-55', 'region', 'Павлодар облысы', 'Павлодарская область', 'Pavlodar Region', 750),
  (14, 'KZ-59', 'region', 'Солтүстік Қазақстан облысы', 'Северо-Казахстанская область', 'North Kazakhstan Region', 530),
  (15, 'KZ-61', 'region', 'Түркістан облысы', 'Туркестанская область', 'Turkistan Region', 2130),
  (16, 'KZ-62', 'region', 'Ұлытау облысы', 'Улытауская область', 'Ulytau Region', 220),
  (17, 'KZ-63', 'region', 'Шығыс Қазақстан облысы', 'Восточно-Казахстанская область', 'East Kazakhstan Region', 720),
  (18, 'KZ-71', 'city', 'Астана', 'Астана', 'Astana', 1420),
  (19, 'KZ-75', 'city', 'Алматы', 'Алматы', 'Almaty', 2230),
  (20, 'KZ-79', 'city', 'Шымкент', 'Шымкент', 'Shymkent', 1230);

INSERT INTO targets (name, teachers, starts_on, deadline, region_id)
VALUES ('National plan: teachers trained in inclusive education by the end of 2025', 30000, '2021-01-01', '2025-12-31', NULL);
