-- Back to one IIN column: the first unconfirmed account waiting for an IIN no one holds gets it.
UPDATE users
SET iin = pending_iin
WHERE iin IS NULL
  AND pending_iin IS NOT NULL
  AND id = (SELECT min(u.id) FROM users u WHERE u.pending_iin = users.pending_iin)
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.iin = users.pending_iin);

ALTER TABLE users DROP COLUMN pending_iin;
