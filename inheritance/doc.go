// Package inheritance describes mapped class hierarchies: joined table, single
// table and concrete table inheritance, abstract bases, and mixed hierarchies
// (SCOPE row I1), and the polymorphic map that polymorphic loading needs
// (I2).
//
// It will hold the hierarchy kinds, the discriminator column, the polymorphic
// identity of each type, the map from identity to type that
// [github.com/retort-orm/retort/loading] uses to build each row as its real
// subtype, the polymorphic union for concrete inheritance, and the table order
// in which a flush writes one object of a joined hierarchy. The
// [github.com/retort-orm/retort/registry] builds hierarchies from
// declarations; with_polymorphic, selectin_polymorphic and of_type in
// queries are offered by [github.com/retort-orm/retort/orm] and
// [github.com/retort-orm/retort/loading] on top of this package.
//
// Difference from SQLAlchemy: Go has no subclassing. A subtype embeds its
// base struct, and a slice of the base type cannot hold the subtype, so how a
// polymorphic query hands back its mixed results is a Go-shaped decision; it
// is documented here with the code that makes it.
package inheritance
