-- note: Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.
SELECT t.id 
FROM t
 OFFSET :1 ROWS
-- args: 5
