CREATE TYPE mood AS ENUM ('happy', 'it''s sad')
-- args: none
