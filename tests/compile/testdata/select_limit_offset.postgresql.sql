-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t 
 LIMIT $1 OFFSET $2
-- args: 10, 5
