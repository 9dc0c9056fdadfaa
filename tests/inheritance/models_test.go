package inheritance_test

import (
	"github.com/retort-orm/retort/declarative"
)

// ------------------------------------------------------------ joined
//
// The reference's joined models: employee (id, name, type, company_id),
// manager (id → employee.id, manager_name), engineer (id → employee.id,
// engineer_info), executive (id → manager.id, title). Subtypes use
// Retort's default loading (inline). The 2-level suite registers all but
// Executive.

type Company struct {
	ID        int64       `orm:"pk"`
	Name      string      `orm:"type:varchar(50)"`
	Employees []*Employee `orm:"rel;back_populates:Company;order_by:ID"`
}

func (Company) TableName() string { return "company" }

type Employee struct {
	ID        int64    `orm:"pk"`
	Name      string   `orm:"type:varchar(50)"`
	Type      string   `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64   `orm:"fk:company.id"`
	Company   *Company `orm:"rel;back_populates:Employees"`
}

func (Employee) TableName() string { return "employee" }
func (Employee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type Manager struct {
	Employee    `orm:"inherits;polymorphic_identity:manager"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (Manager) TableName() string { return "manager" }

type Engineer struct {
	Employee     `orm:"inherits;polymorphic_identity:engineer"`
	ID           int64  `orm:"pk;fk:employee.id"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (Engineer) TableName() string { return "engineer" }

type Executive struct {
	Manager `orm:"inherits;polymorphic_identity:executive"`
	ID      int64  `orm:"pk;fk:manager.id"`
	Title   string `orm:"type:varchar(30)"`
}

func (Executive) TableName() string { return "executive" }

func joined2() []any { return []any{&Company{}, &Employee{}, &Manager{}, &Engineer{}} }
func joined3() []any { return append(joined2(), &Executive{}) }

// ------------------------------------------------ joined, selectin load
//
// The same tables, every subtype tagged polymorphic_load:selectin (the
// reference's D8/D10 mapper-level setting).

type PCompany struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
}

func (PCompany) TableName() string { return "company" }

type PEmployee struct {
	ID        int64  `orm:"pk"`
	Name      string `orm:"type:varchar(50)"`
	Type      string `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64 `orm:"fk:company.id"`
}

func (PEmployee) TableName() string { return "employee" }
func (PEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type PManager struct {
	PEmployee   `orm:"inherits;polymorphic_identity:manager;polymorphic_load:selectin"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (PManager) TableName() string { return "manager" }

type PEngineer struct {
	PEmployee    `orm:"inherits;polymorphic_identity:engineer;polymorphic_load:selectin"`
	ID           int64  `orm:"pk;fk:employee.id"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (PEngineer) TableName() string { return "engineer" }

type PExecutive struct {
	PManager `orm:"inherits;polymorphic_identity:executive;polymorphic_load:selectin"`
	ID       int64  `orm:"pk;fk:manager.id"`
	Title    string `orm:"type:varchar(30)"`
}

func (PExecutive) TableName() string { return "executive" }

// ------------------------------------------------ joined, with_polymorphic
//
// The base names its inline subtypes: Manager inline, Engineer by selectin.

type WCompany struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
}

func (WCompany) TableName() string { return "company" }

type WEmployee struct {
	ID        int64  `orm:"pk"`
	Name      string `orm:"type:varchar(50)"`
	Type      string `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64 `orm:"fk:company.id"`
}

func (WEmployee) TableName() string { return "employee" }
func (WEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee", WithPolymorphic: []string{"WManager"}}
}

type WManager struct {
	WEmployee   `orm:"inherits;polymorphic_identity:manager"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (WManager) TableName() string { return "manager" }

type WEngineer struct {
	WEmployee    `orm:"inherits;polymorphic_identity:engineer"`
	ID           int64  `orm:"pk;fk:employee.id"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (WEngineer) TableName() string { return "engineer" }

// ------------------------------------------------------------ single
//
// The reference's single-table models: one employee table with every
// subtype's (nullable) columns.

type SCompany struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(50)"`
	Employees []*SEmployee `orm:"rel;back_populates:Company;order_by:ID"`
}

func (SCompany) TableName() string { return "company" }

type SEmployee struct {
	ID        int64     `orm:"pk"`
	Name      string    `orm:"type:varchar(50)"`
	Type      string    `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *SCompany `orm:"rel;back_populates:Employees"`
}

func (SEmployee) TableName() string { return "employee" }
func (SEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type SManager struct {
	SEmployee   `orm:"inherits;kind:single;polymorphic_identity:manager"`
	ManagerName *string `orm:"type:varchar(30)"`
}

type SEngineer struct {
	SEmployee    `orm:"inherits;kind:single;polymorphic_identity:engineer"`
	EngineerInfo *string `orm:"type:varchar(30)"`
}

type SExecutive struct {
	SManager `orm:"inherits;kind:single;polymorphic_identity:executive"`
	Title    *string `orm:"type:varchar(30)"`
}

func single() []any {
	return []any{&SCompany{}, &SEmployee{}, &SManager{}, &SEngineer{}, &SExecutive{}}
}

// ------------------------------------------- relationship to a subtype
//
// The reference's Company.managers = relationship(Manager, viewonly=True):
// the foreign key company_id is on the base's table. Separate models, so
// that a Configure failure of this relationship does not stop the other
// scenarios.

type FCompany struct {
	ID       int64       `orm:"pk"`
	Name     string      `orm:"type:varchar(50)"`
	Managers []*FManager `orm:"rel;viewonly;order_by:ID"`
}

func (FCompany) TableName() string { return "company" }

type FEmployee struct {
	ID        int64  `orm:"pk"`
	Name      string `orm:"type:varchar(50)"`
	Type      string `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64 `orm:"fk:company.id"`
}

func (FEmployee) TableName() string { return "employee" }
func (FEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type FManager struct {
	FEmployee   `orm:"inherits;polymorphic_identity:manager"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (FManager) TableName() string { return "manager" }

type FEngineer struct {
	FEmployee    `orm:"inherits;polymorphic_identity:engineer"`
	ID           int64  `orm:"pk;fk:employee.id"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (FEngineer) TableName() string { return "engineer" }

// single-table form
type TCompany struct {
	ID       int64       `orm:"pk"`
	Name     string      `orm:"type:varchar(50)"`
	Managers []*TManager `orm:"rel;viewonly;order_by:ID"`
}

func (TCompany) TableName() string { return "company" }

type TEmployee struct {
	ID        int64  `orm:"pk"`
	Name      string `orm:"type:varchar(50)"`
	Type      string `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64 `orm:"fk:company.id"`
}

func (TEmployee) TableName() string { return "employee" }
func (TEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type TManager struct {
	TEmployee   `orm:"inherits;kind:single;polymorphic_identity:manager"`
	ManagerName *string `orm:"type:varchar(30)"`
}

type TEngineer struct {
	TEmployee    `orm:"inherits;kind:single;polymorphic_identity:engineer"`
	EngineerInfo *string `orm:"type:varchar(30)"`
}

type TExecutive struct {
	TManager `orm:"inherits;kind:single;polymorphic_identity:executive"`
	Title    *string `orm:"type:varchar(30)"`
}
