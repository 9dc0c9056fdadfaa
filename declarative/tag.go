package declarative

import (
	"sort"
	"strings"
)

// TagKey is the struct tag key Retort reads.
const TagKey = "orm"

// option is one parsed `name[:value]` item of a tag.
type option struct {
	name     string
	value    string
	hasValue bool
}

// splitTag splits a tag into options on unescaped ';', and each option into
// name and value at the first unescaped ':'. "\;", "\:", "\," and "\\" are
// unescaped in values except that "\," is kept escaped for list splitting.
func splitTag(tag string) []option {
	var out []option
	var cur strings.Builder
	var name string
	inValue := false
	flush := func() {
		v := cur.String()
		cur.Reset()
		var o option
		if inValue {
			o = option{name: strings.TrimSpace(name), value: strings.TrimSpace(v), hasValue: true}
		} else {
			o = option{name: strings.TrimSpace(v)}
		}
		inValue = false
		name = ""
		if o.name == "" && !o.hasValue {
			return
		}
		out = append(out, o)
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		switch {
		case c == '\\' && i+1 < len(tag):
			n := tag[i+1]
			if n == ',' {
				cur.WriteString(`\,`) // kept for list splitting
			} else {
				cur.WriteByte(n)
			}
			i++
		case c == ';':
			flush()
		case c == ':' && !inValue:
			name = cur.String()
			cur.Reset()
			inValue = true
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return out
}

// unescapeCommas turns the "\," kept by splitTag into ",".
func unescapeCommas(s string) string { return strings.ReplaceAll(s, `\,`, ",") }

// splitList splits a list value on unescaped commas and trims each item.
func splitList(s string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == ',' {
			cur.WriteByte(',')
			i++
			continue
		}
		if s[i] == ',' {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(s[i])
	}
	out = append(out, strings.TrimSpace(cur.String()))
	return out
}

// optClass says which kind of field an option belongs to.
type optClass uint8

const (
	classColumn optClass = 1 << iota
	classRel
	classBase
	classComposite
	classProp
)

// valueRule says whether an option takes a value.
type valueRule uint8

const (
	valNone     valueRule = iota // a flag: `pk`
	valRequired                  // `column:name`
	valOptional                  // `index` or `index:ix_name`; `viewonly` or `viewonly:false`
)

type optSpec struct {
	class optClass
	rule  valueRule
}

var optionSpecs = map[string]optSpec{
	// columns
	"column":          {classColumn, valRequired},
	"type":            {classColumn, valRequired},
	"pk":              {classColumn, valNone},
	"notnull":         {classColumn, valNone},
	"nullable":        {classColumn, valNone},
	"default":         {classColumn, valRequired},
	"default_func":    {classColumn, valRequired},
	"server_default":  {classColumn, valRequired},
	"onupdate":        {classColumn, valRequired},
	"onupdate_func":   {classColumn, valRequired},
	"server_onupdate": {classColumn, valRequired},
	"index":           {classColumn, valOptional},
	"unique":          {classColumn, valOptional},
	"fk":              {classColumn, valRequired},
	"autoincrement":   {classColumn, valOptional},
	"comment":         {classColumn, valRequired},
	"sort":            {classColumn, valRequired},
	"identity":        {classColumn, valNone},
	"sequence":        {classColumn, valRequired},
	"computed":        {classColumn, valRequired},
	"polymorphic_on":  {classColumn, valNone},
	"deferred":        {classColumn | classComposite | classProp, valOptional},
	"mutable":         {classColumn, valNone},
	"version":         {classColumn, valNone},
	"version_func":    {classColumn, valRequired},
	// composites and SQL-expression attributes
	"composite":        {classComposite, valNone},
	"columns":          {classComposite, valRequired},
	"column_property":  {classProp, valNone},
	"query_expression": {classProp, valNone},
	// relationships
	"rel":             {classRel, valOptional},
	"back_populates":  {classRel, valRequired},
	"secondary":       {classRel, valRequired},
	"foreign_keys":    {classRel, valRequired},
	"primaryjoin":     {classRel, valRequired},
	"secondaryjoin":   {classRel, valRequired},
	"remote_side":     {classRel, valRequired},
	"order_by":        {classRel, valRequired},
	"cascade":         {classRel, valRequired},
	"lazy":            {classRel, valRequired},
	"uselist":         {classRel, valOptional},
	"viewonly":        {classRel, valOptional},
	"passive_deletes": {classRel, valOptional},
	"post_update":     {classRel, valOptional},
	"single_parent":   {classRel, valOptional},
	"collection":      {classRel, valRequired},
	"ordering":        {classRel, valRequired},
	"ordering_from":   {classRel, valRequired},
	// embedded bases (inheritance)
	"inherits":             {classBase, valNone},
	"kind":                 {classBase, valRequired},
	"polymorphic_identity": {classBase, valRequired},
	"polymorphic_load":     {classBase, valRequired},
	"polymorphic_abstract": {classBase, valOptional},
}

// knownOptions lists every option name, sorted.
var knownOptions = func() []string {
	out := make([]string, 0, len(optionSpecs))
	for k := range optionSpecs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}()

// KnownOptions returns every option name of the `orm` tag grammar, sorted.
func KnownOptions() []string { return append([]string(nil), knownOptions...) }

// optionHints maps names from other ORMs to the option to write instead.
var optionHints = map[string]string{
	"primary_key":    "pk",
	"primarykey":     "pk",
	"not_null":       "notnull",
	"foreign_key":    "fk",
	"references":     "fk",
	"backpopulates":  "back_populates",
	"primary_join":   "primaryjoin",
	"secondary_join": "secondaryjoin",
}
