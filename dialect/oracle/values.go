package oracle

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/retort-orm/retort/core"
)

var _ core.ValueConverter = (*Dialect)(nil)

// ConvertBind implements core.ValueConverter: booleans are SMALLINT 0/1,
// and an Interval goes to INTERVAL DAY TO SECOND as its text form
// '+D HH:MM:SS.ffffff', which Oracle converts.
func (d *Dialect) ConvertBind(t core.Type, v any) (any, bool, error) {
	switch t.(type) {
	case core.Boolean:
		if b, ok := v.(bool); ok {
			if b {
				return int64(1), true, nil
			}
			return int64(0), true, nil
		}
	case core.Interval:
		if dur, ok := v.(time.Duration); ok {
			return FormatIntervalDS(dur), true, nil
		}
	}
	return nil, false, nil
}

// ConvertResult implements core.ValueConverter: an INTERVAL DAY TO SECOND
// read as text is parsed; NUMBER read as float64 or text is handled by core.
func (d *Dialect) ConvertResult(t core.Type, v any) (any, bool, error) {
	if _, ok := t.(core.Interval); ok {
		switch x := v.(type) {
		case string:
			dur, err := ParseIntervalDS(x)
			return dur, err == nil, err
		case []byte:
			dur, err := ParseIntervalDS(string(x))
			return dur, err == nil, err
		}
	}
	return nil, false, nil
}

// FormatIntervalDS writes a duration as Oracle's INTERVAL DAY TO SECOND
// literal text: '+D HH:MM:SS.ffffff' (or '-…').
func FormatIntervalDS(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign = "-"
		d = -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	d -= s * time.Second
	return fmt.Sprintf("%s%d %02d:%02d:%02d.%06d", sign, days, h, m, s, d/time.Microsecond)
}

// ParseIntervalDS reads '+D HH:MM:SS[.fffffffff]'.
func ParseIntervalDS(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	dayPart, clock, ok := strings.Cut(s, " ")
	if !ok {
		return 0, fmt.Errorf("cannot parse %q as INTERVAL DAY TO SECOND", s)
	}
	days, err := strconv.ParseInt(dayPart, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("cannot parse %q as INTERVAL DAY TO SECOND", s)
	}
	parts := strings.Split(clock, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("cannot parse %q as INTERVAL DAY TO SECOND", s)
	}
	h, err1 := strconv.ParseInt(parts[0], 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, fmt.Errorf("cannot parse %q as INTERVAL DAY TO SECOND", s)
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(math.Round(sec*1e6))*time.Microsecond
	if neg {
		d = -d
	}
	return d, nil
}
