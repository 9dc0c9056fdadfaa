-- note: autoescape is always on: SQLAlchemy's contains(autoescape=True)
SELECT t.id 
FROM t 
WHERE (t.name LIKE concat('%', ?, '%') ESCAPE '/')
-- args: "50/%/_off//"
