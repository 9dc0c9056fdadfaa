-- note: Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.
SELECT t.id 
FROM t
 LIMIT ALL OFFSET $1
-- args: 5
