-- The address a user gave but has not confirmed yet lives apart from the confirmed one: only
-- confirmed addresses are unique, so a sign-up with an address someone else holds looks the
-- same as any other (the holder is told by mail) and tells no one who has an account here.
ALTER TABLE users ADD COLUMN unconfirmed_email TEXT;
UPDATE users SET unconfirmed_email = email, email = NULL WHERE email_confirmed_at IS NULL;
