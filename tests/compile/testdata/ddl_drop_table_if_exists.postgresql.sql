DROP TABLE IF EXISTS "User Data"
-- args: none
