-- note: Oracle OFFSET :1 ROWS is bound; SQLAlchemy inlines it.
SELECT t.id 
FROM t 
 LIMIT ?, 18446744073709551615
-- args: 5
