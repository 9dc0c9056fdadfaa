// Package events holds the typed listener lists that every layer of Retort
// uses to publish its events (SCOPE row E5).
//
// It provides the machinery, not the events themselves: [List], a generic,
// typed list of listeners for one event, with registration, removal, "once"
// and "prepend" listeners, and [ByType], listeners keyed by a mapped Go type
// with propagation from a type to its subtypes. Dispatch first checks a
// listener count (one atomic load), so that an event nobody listens to costs
// nothing and builds no payload. Each layer declares its own events with it:
// core's connection, execution, transaction and DDL events (C12), the mapper
// events of registry (E1), the session, instance and attribute events of orm
// and collections (E2, E3) and the do_orm_execute hook (E4).
//
// Because core uses it, this package imports no other Retort package; it knows
// nothing of SQL, mappers or sessions. Difference from SQLAlchemy: listeners
// are typed Go functions checked by the compiler, registered on a value (an
// engine, a registry, a mapper, a session) rather than through a string event
// name and a decorator.
package events
