-- The version of each row an administrator edits through a form: 1 when the row is made, one
-- more at every change (`UPDATE … SET …, version = version + 1`). An edit form carries the
-- version it was opened at and saves only `WHERE id = ? AND version = ?`: when another save,
-- import, status change or reorder came first, nothing is overwritten and the form comes back
-- with the row as it is now.
ALTER TABLE courses ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE modules ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE quiz_questions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE schools ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE targets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
