-- note: frame offsets are rendered inline (integers from the program); SQLAlchemy binds them.
SELECT avg(t.x) OVER (ORDER BY t.x RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS avg_near 
FROM t
-- args: none
