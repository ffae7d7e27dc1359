-- Suppliers contract v2: the contact person's e-mail (personal data, tagged pii in the contract;
-- masked for non-admins in API reads). Empty for suppliers delivered under v1.
ALTER TABLE suppliers ADD COLUMN IF NOT EXISTS contact_email String DEFAULT '' AFTER country;
