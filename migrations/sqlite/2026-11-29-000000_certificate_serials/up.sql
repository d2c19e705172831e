-- Certificate serials run per year (UST-2025-000123). The counter row of a year is taken with an
-- upsert in the issuing transaction, so two certificates never get the same number.
CREATE TABLE certificate_serials (
  year INTEGER PRIMARY KEY NOT NULL CHECK (year BETWEEN 2000 AND 9999),
  last_number INTEGER NOT NULL CHECK (last_number > 0)
);
-- The review queue: completed enrolments, newest first.
CREATE INDEX enrolments_status_completed ON enrolments (status, completed_at);
