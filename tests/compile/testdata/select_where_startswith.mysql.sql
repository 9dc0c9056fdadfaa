-- note: autoescape is always on: SQLAlchemy's startswith(autoescape=True)
SELECT t.id 
FROM t 
WHERE (t.name LIKE concat(?, '%') ESCAPE '/')
-- args: "ab"
