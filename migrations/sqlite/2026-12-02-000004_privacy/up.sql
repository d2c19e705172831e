-- An IIN binds an account only once the address is confirmed (or an administrator's staff list
-- gave it): `iin` keeps its UNIQUE constraint and holds only those; a self-registration's IIN
-- waits in `pending_iin`, which any number of unconfirmed accounts may share, and moves to `iin`
-- at confirmation if no other account has it by then.
ALTER TABLE users ADD COLUMN pending_iin TEXT CHECK (length(pending_iin) = 12);

UPDATE users
SET pending_iin = iin, iin = NULL
WHERE email_verified_at IS NULL
  AND iin IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM user_tokens t WHERE t.user_id = users.id AND t.purpose = 'invitation'
  );
