-- note: autoescape is always on: SQLAlchemy's endswith(autoescape=True)
SELECT t.id 
FROM t 
WHERE (t.name LIKE '%' || ? ESCAPE '/')
-- args: "yz"
