-- Attempts counted in fixed windows, shared by every app instance: sign-ins per account from
-- browsers it does not know, per device cookie and per client address; registrations and reset
-- mails per client address and per target address. An attempt is counted by one atomic
-- "take one" upsert before it is acted on; a window that has ended starts again at one.
CREATE TABLE rate_limits (
  limit_key TEXT PRIMARY KEY NOT NULL,
  window_start TIMESTAMP NOT NULL,
  hits INTEGER NOT NULL CHECK (hits >= 0)
);
CREATE INDEX rate_limits_window_start ON rate_limits (window_start);

-- Replaced by rate_limits: its failures grew for ever and were read, then written, apart.
DROP TABLE login_throttles;
