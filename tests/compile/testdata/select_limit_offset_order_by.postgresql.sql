-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t ORDER BY t.id 
 LIMIT $1 OFFSET $2
-- args: 10, 5
