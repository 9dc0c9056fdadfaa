-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t ORDER BY t.id
 OFFSET @p1 ROWS
 FETCH FIRST @p2 ROWS ONLY
-- args: 5, 10
