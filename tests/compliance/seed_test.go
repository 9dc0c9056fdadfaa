package compliance_test

import (
	"time"

	"github.com/retort-orm/retort/core"
	"github.com/retort-orm/retort/internal/goldencases"
)

// seed is the fixed dataset every case runs against, loaded through core
// statements:
//
//	t  id name         x    flag  ts
//	   1  abc          10   true  2020-01-01 10:00:00
//	   2  Aardvark     24   false 2020-06-15 12:30:00
//	   3  b50%_off/    5    true  2021-03-03 00:00:00
//	   5  10%xyz       1    false 2019-12-31 23:59:59
//	   6  abyz         6    true  2020-01-02 03:04:05
//	   7  NULL         NULL NULL  NULL
//	   8  c500_off/    2    false 2020-02-02 02:02:02
//
//	o  id t_id v        e  id a_id b_id      d  (empty)
//	   1  1    5           1  1    2
//	   2  1    15          2  3    1
//	   3  2    25          3  6    6
//	   4  3    1
//	   5  6    -3
//	   6  NULL 7
//
// Id 4 of t is free for insert_single_values; d is empty for the cases
// that insert its id 1. Names are chosen so that every collation orders
// them alike (no two differ only in case or punctuation): 'Aardvark' tells
// ILIKE from LIKE, 'b50%_off/' and 'c500_off/' tell an escaped contains
// from an unescaped one, '10%xyz' is found by LIKE '10!%%' ESCAPE '!'. Row
// 7 is NULL in every column but its key and alone in its flag partition,
// and o's NULL t_id makes NOT IN (SELECT t_id …) empty. The x of row 6
// equals its id (IS NOT DISTINCT FROM id), and x links 1 -> 5 -> 3 for the
// recursive CTE.
func seed() []core.Statement {
	ts := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC) }
	row := func(id int, name any, x any, flag any, at any) map[string]any {
		return map[string]any{"id": id, "name": name, "x": x, "flag": flag, "ts": at}
	}
	t := core.Insert(goldencases.T).
		Values(row(1, "abc", 10, true, ts(2020, 1, 1, 10, 0, 0))).
		Values(row(2, "Aardvark", 24, false, ts(2020, 6, 15, 12, 30, 0))).
		Values(row(3, "b50%_off/", 5, true, ts(2021, 3, 3, 0, 0, 0))).
		Values(row(5, "10%xyz", 1, false, ts(2019, 12, 31, 23, 59, 59))).
		Values(row(6, "abyz", 6, true, ts(2020, 1, 2, 3, 4, 5))).
		Values(row(7, nil, nil, nil, nil)).
		Values(row(8, "c500_off/", 2, false, ts(2020, 2, 2, 2, 2, 2)))
	o := core.Insert(goldencases.O).Columns(goldencases.O.C("id"), goldencases.O.C("t_id"), goldencases.O.C("v")).
		Row(1, 1, 5).Row(2, 1, 15).Row(3, 2, 25).Row(4, 3, 1).Row(5, 6, -3).Row(6, nil, 7)
	e := core.Insert(goldencases.E).Columns(goldencases.E.C("id"), goldencases.E.C("a_id"), goldencases.E.C("b_id")).
		Row(1, 1, 2).Row(2, 3, 1).Row(3, 6, 6)
	return []core.Statement{t, o, e}
}
