-- note: Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.
SELECT t.id 
FROM t ORDER BY t.id
 LIMIT ? OFFSET ?
-- args: -1, 5
