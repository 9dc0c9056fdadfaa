-- note: Eq(true) binds the value; SQLAlchemy renders the constant (= true / = 1).
SELECT t.id 
FROM t 
WHERE t.flag = ?
-- args: true
