package relationship

import (
	"fmt"
	"reflect"

	"github.com/retort-orm/retort/declarative"
	"github.com/retort-orm/retort/registry"
)

// DictProxy is a view of the attribute V of the objects R held in a keyed
// map collection map[K]*R of T (collection:map(<KeyField>) in the tag),
// as a map[K]V: SQLAlchemy's association_proxy over an
// attribute_keyed_dict. With
//
//	type User struct {
//		ID    int64            `orm:"pk"`
//		Notes map[string]*Note `orm:"rel;collection:map(Key)"`
//	}
//	var NoteText = relationship.MustDictProxy[User](
//		"Notes", func(n *Note) *string { return &n.Key },
//		func(n *Note) *string { return &n.Text })
//
// NoteText.Get(u) is map[key]text, NoteText.Put(u, "k", "t") sets the text
// of the note under "k" or adds a new Note{Key: "k", Text: "t"}. The SQL
// form is the collection's (Any, Eq, Includes, …).
//
// The key function names R's key attribute, which Put and Set write on
// new objects (SQLAlchemy's dict creator takes the key and the value; here
// the creator takes the value and the proxy sets the key).
type DictProxy[T any, K comparable, R, V any] struct {
	base[T, R, V]
	key func(*R) *K
}

// NewDictProxy returns the proxy of the attribute of R that attr returns
// the address of, across the map collection field rel of T (a
// map[K]*R), whose members are keyed by the attribute key returns the
// address of. See [NewProxy] for what is checked when.
func NewDictProxy[T any, K comparable, R, V any](rel string, key func(*R) *K, attr func(*R) *V, opts ...Option[R, V]) (*DictProxy[T, K, R, V], error) {
	p := &DictProxy[T, K, R, V]{key: key}
	if err := p.init("NewDictProxy", rel, attr, opts); err != nil {
		return nil, err
	}
	if err := checkFieldFunc(key, "key"); err != nil {
		return nil, err
	}
	if ft, want := p.field.Type, reflect.TypeFor[map[K]*R](); ft != want {
		tn := reflect.TypeFor[T]().Name()
		return nil, &declarative.MappingError{Struct: tn, Field: rel, Msg: fmt.Sprintf("%s.%s is a %s, not a %s", tn, rel, ft, want), Hint: "a dict proxy needs a map[K]*R field whose K is the key attribute's type; use NewProxy for a slice or set"}
	}
	return p, nil
}

// MustDictProxy is NewDictProxy for program init: it panics on error.
func MustDictProxy[T any, K comparable, R, V any](rel string, key func(*R) *K, attr func(*R) *V, opts ...Option[R, V]) *DictProxy[T, K, R, V] {
	p, err := NewDictProxy[T](rel, key, attr, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

func (p *DictProxy[T, K, R, V]) m(obj *T) *map[K]*R {
	return p.fieldValue(obj).Addr().Interface().(*map[K]*R)
}

// Get returns the proxied value of each related object of obj by its key
// (a new map: changing it changes nothing). Nil entries are skipped;
// a nil obj gives nil.
func (p *DictProxy[T, K, R, V]) Get(obj *T) map[K]V {
	if obj == nil {
		return nil
	}
	m := *p.m(obj)
	out := make(map[K]V, len(m))
	for k, r := range m {
		if r != nil {
			out[k] = *p.attr(r)
		}
	}
	return out
}

// Lookup returns the proxied value under key k, and whether there is one.
func (p *DictProxy[T, K, R, V]) Lookup(obj *T, k K) (V, bool) {
	var zero V
	if obj == nil {
		return zero, false
	}
	r := (*p.m(obj))[k]
	if r == nil {
		return zero, false
	}
	return *p.attr(r), true
}

// Len is the number of entries of obj's map.
func (p *DictProxy[T, K, R, V]) Len(obj *T) int {
	if obj == nil {
		return 0
	}
	return len(*p.m(obj))
}

// Put stores v under k: in the related object already under k, or in a
// new one made by the creator (default: new(R) with the attribute set),
// whose key attribute is then set to k (SQLAlchemy's proxy[k] = v).
func (p *DictProxy[T, K, R, V]) Put(obj *T, k K, v V) error {
	if obj == nil {
		return nilObj("DictProxy", "Put")
	}
	mp := p.m(obj)
	if r := (*mp)[k]; r != nil {
		*p.attr(r) = v
		return nil
	}
	r, err := p.create(v)
	if err != nil {
		return err
	}
	*p.key(r) = k
	if *mp == nil {
		*mp = make(map[K]*R)
	}
	(*mp)[k] = r
	return nil
}

// Delete removes the entry under k and reports whether there was one.
// The related object is not deleted: leaving the collection is what the
// session sees at flush.
func (p *DictProxy[T, K, R, V]) Delete(obj *T, k K) bool {
	if obj == nil {
		return false
	}
	mp := p.m(obj)
	_, ok := (*mp)[k]
	delete(*mp, k)
	return ok
}

// Set makes vs the content of obj's map, as SQLAlchemy's dict proxy
// assignment does: an entry whose key is in vs keeps its related object
// and gets the new value, new keys get new objects, and the other entries
// are removed.
func (p *DictProxy[T, K, R, V]) Set(obj *T, vs map[K]V) error {
	if obj == nil {
		return nilObj("DictProxy", "Set")
	}
	mp := p.m(obj)
	next := make(map[K]*R, len(vs))
	for k, v := range vs {
		if r := (*mp)[k]; r != nil {
			*p.attr(r) = v
			next[k] = r
			continue
		}
		r, err := p.create(v)
		if err != nil {
			return err
		}
		*p.key(r) = k
		next[k] = r
	}
	*mp = next
	return nil
}

// SQL returns the SQL form of the proxy against the configured registry
// reg (see [Proxy.SQL]); it also checks that the relationship is a map
// keyed by the proxy's key attribute.
func (p *DictProxy[T, K, R, V]) SQL(reg *registry.Registry) *Comparator[V] {
	return p.comparator(reg, "DictProxy", true, func(r *resolved) error {
		mr := r.rel.Target()
		ck := r.rel.CollectionKey()
		_, path, err := reg.ProbeField(p.key(registry.Probe[R]()))
		if err != nil {
			return &declarative.MappingError{Struct: mr.Name(), Msg: "the dict proxy's key is not a mapped attribute of " + mr.Name() + ": " + err.Error()}
		}
		if ck == nil || ck.Path() != path {
			have := "is not a map collection"
			if ck != nil {
				have = "is keyed by " + ck.Path()
			}
			return &declarative.MappingError{Struct: r.rel.Parent().Name(), Field: r.rel.Name(), Msg: fmt.Sprintf("%s %s, and the proxy's key is %s.%s", r.rel, have, mr.Name(), path), Hint: fmt.Sprintf("declare the field with collection:map(%s), or give the proxy the collection's key", path)}
		}
		return nil
	})
}
