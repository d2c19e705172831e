DROP INDEX enrolments_status_completed;
DROP TABLE certificate_serials;
