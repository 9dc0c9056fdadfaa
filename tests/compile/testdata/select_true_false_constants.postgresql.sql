SELECT true AS anon_1, false AS anon_2
-- args: none
