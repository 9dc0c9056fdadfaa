UPDATE t SET x=(t.x + :1), ts=CURRENT_TIMESTAMP WHERE t.x < :2
-- args: 1, 100
