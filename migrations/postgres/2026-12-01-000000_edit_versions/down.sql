ALTER TABLE users DROP COLUMN version;
ALTER TABLE targets DROP COLUMN version;
ALTER TABLE schools DROP COLUMN version;
ALTER TABLE quiz_questions DROP COLUMN version;
ALTER TABLE modules DROP COLUMN version;
ALTER TABLE courses DROP COLUMN version;
