-- note: Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.
SELECT t.id 
FROM t ORDER BY t.id
 OFFSET :1 ROWS
-- args: 5
