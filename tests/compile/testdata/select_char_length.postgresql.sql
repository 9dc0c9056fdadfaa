SELECT char_length(t.name) AS len 
FROM t 
WHERE char_length(t.name) > $1
-- args: 3
