-- note: DISTINCT ON is refused outside PostgreSQL; SQLAlchemy silently renders plain DISTINCT (deprecated).
SELECT DISTINCT ON (t.name) t.name, t.x 
FROM t ORDER BY t.name, t.x DESC
-- args: none
