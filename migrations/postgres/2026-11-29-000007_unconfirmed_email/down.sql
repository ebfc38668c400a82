UPDATE users SET email = unconfirmed_email
WHERE email IS NULL
  AND unconfirmed_email IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM users AS other WHERE other.email = users.unconfirmed_email);
ALTER TABLE users DROP COLUMN unconfirmed_email;
