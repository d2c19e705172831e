-- Two-step sign-in (TOTP, RFC 6238) for staff: one authenticator per user. The secret is
-- AES-256-GCM encrypted with a key derived from the server's secret key. `last_step` is the
-- time step of the last accepted code, so a code is accepted once only; `attempts` counts the
-- codes tried since `attempts_since` (five wrong ones and the user waits).
CREATE TABLE two_step_factors (
  user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  last_step BIGINT NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  attempts_since TIMESTAMP,
  enabled_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One-time recovery codes, stored as keyed hashes; each works once.
CREATE TABLE two_step_recovery_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL UNIQUE,
  used_at TIMESTAMP,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX two_step_recovery_codes_user ON two_step_recovery_codes (user_id);
