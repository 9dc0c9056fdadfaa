-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t 
 LIMIT ?, ?
-- args: 5, 10
