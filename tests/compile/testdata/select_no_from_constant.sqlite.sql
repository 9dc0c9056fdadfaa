-- note: core.Literal renders inline; SQLAlchemy's literal() is a bound parameter.
SELECT 1 AS one
-- args: none
