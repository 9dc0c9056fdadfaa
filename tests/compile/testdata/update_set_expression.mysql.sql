UPDATE t SET x=(t.x + ?), ts=now() WHERE t.x < ?
-- args: 1, 100
