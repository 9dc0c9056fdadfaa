UPDATE t SET x=(t.x + ?), ts=CURRENT_TIMESTAMP WHERE t.x < ?
-- args: 1, 100
