-- note: autoescape is always on: SQLAlchemy's startswith(autoescape=True)
SELECT t.id 
FROM t 
WHERE (t.name LIKE ? || '%' ESCAPE '/')
-- args: "ab"
