-- note: Oracle OFFSET/FETCH are bound; SQLAlchemy inlines them.
SELECT t.id 
FROM t ORDER BY t.id
 OFFSET :1 ROWS
 FETCH FIRST :2 ROWS ONLY
-- args: 5, 10
