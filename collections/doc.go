// Package collections holds the kinds of collection that can sit on the many
// side of a relationship (SCOPE row R3, with the large collections of R5).
//
// It will define one adapter interface that the unit of work uses to diff a
// collection's membership against its snapshot, and implementations for the
// collection kinds: plain slices (SQLAlchemy's list), sets, keyed maps
// (attribute_keyed_dict and column_keyed_dict), ordered lists that maintain a
// position column (ordering_list), and instrumented collection types.
// Instrumented collections know whether they are loaded, load on demand
// through their owner's session with a context.Context, fire append and
// remove events at once, keep back_populates sides in sync in memory, and
// return an error instead of loading when the relationship is set to raise.
// Write-only collections, which are never loaded whole but can be queried
// and appended to, belong here too.
//
// This package does not decide which relationship a collection belongs to or
// its cascades (that is [github.com/retort-orm/retort/relationship]), nor
// emit SQL. Difference from SQLAlchemy: a plain Go slice cannot report an
// append when it happens, so for plain slices changes are found by comparing
// with the snapshot at flush, and events about them fire then; only the
// instrumented types report membership changes immediately.
package collections
