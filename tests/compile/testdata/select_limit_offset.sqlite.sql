-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t
 LIMIT ? OFFSET ?
-- args: 10, 5
