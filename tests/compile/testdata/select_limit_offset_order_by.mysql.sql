-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t ORDER BY t.id 
 LIMIT ?, ?
-- args: 5, 10
