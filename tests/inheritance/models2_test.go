package inheritance_test

import (
	"github.com/retort-orm/retort/declarative"
)

// ------------------------------------------------------------ concrete
//
// The reference's (a) ConcreteBase models: employee (id, name,
// company_id), manager and engineer each a full table with the base's
// columns plus their own. Keys repeat across tables (Ed, Mia, Gus are all
// id 1). The base has no discriminator column: the polymorphic union
// (pjoin) makes one.

type CCompany struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(50)"`
	Employees []*CEmployee `orm:"rel;back_populates:Company"`
}

func (CCompany) TableName() string { return "company" }

type CEmployee struct {
	ID        int64     `orm:"pk"`
	Name      string    `orm:"type:varchar(50)"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *CCompany `orm:"rel;back_populates:Employees"`
}

func (CEmployee) TableName() string { return "employee" }
func (CEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type CManager struct {
	CEmployee   `orm:"inherits;kind:concrete;polymorphic_identity:manager"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (CManager) TableName() string { return "manager" }

type CEngineer struct {
	CEmployee    `orm:"inherits;kind:concrete;polymorphic_identity:engineer"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (CEngineer) TableName() string { return "engineer" }

func concrete() []any { return []any{&CCompany{}, &CEmployee{}, &CManager{}, &CEngineer{}} }

// ------------------------------------------------- abstract concrete base
//
// The reference's (b) AbstractConcreteBase models, in the form the
// reference could configure (attempt 2): no back_populates anywhere. The
// abstract base has no table; its relationship Company is built on each
// concrete subtype.

type ACompany struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
}

func (ACompany) TableName() string { return "company" }

type AEmployee struct {
	ID        int64     `orm:"pk"`
	Name      string    `orm:"type:varchar(50)"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *ACompany `orm:"rel"`
}

func (AEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicAbstract: true}
}

type AManager struct {
	AEmployee   `orm:"inherits;kind:concrete;polymorphic_identity:manager"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (AManager) TableName() string { return "manager" }

type AEngineer struct {
	AEmployee    `orm:"inherits;kind:concrete;polymorphic_identity:engineer"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (AEngineer) TableName() string { return "engineer" }

func abstractConcrete() []any { return []any{&ACompany{}, &AEmployee{}, &AManager{}, &AEngineer{}} }

// The same with the collection Company.Employees of the abstract base
// (reference (b) attempt 2: relationship('Employee') without
// back_populates), separate so that a Configure failure of the collection
// does not stop the other abstract scenarios.

type QCompany struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(50)"`
	Employees []*QEmployee `orm:"rel"`
}

func (QCompany) TableName() string { return "company" }

type QEmployee struct {
	ID        int64     `orm:"pk"`
	Name      string    `orm:"type:varchar(50)"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *QCompany `orm:"rel"`
}

func (QEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicAbstract: true}
}

type QManager struct {
	QEmployee   `orm:"inherits;kind:concrete;polymorphic_identity:manager"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (QManager) TableName() string { return "manager" }

type QEngineer struct {
	QEmployee    `orm:"inherits;kind:concrete;polymorphic_identity:engineer"`
	EngineerInfo string `orm:"type:varchar(30)"`
}

func (QEngineer) TableName() string { return "engineer" }

func abstractCollection() []any { return []any{&QCompany{}, &QEmployee{}, &QManager{}, &QEngineer{}} }

// ------------------------------------ polymorphic_abstract intermediate
//
// Single table: Employee → Manager; Employee → Technologist (abstract, no
// identity) → Engineer.

type XEmployee struct {
	ID        int64  `orm:"pk"`
	Name      string `orm:"type:varchar(50)"`
	Type      string `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64 `orm:"fk:company.id"`
}

func (XEmployee) TableName() string { return "employee" }
func (XEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type XManager struct {
	XEmployee   `orm:"inherits;kind:single;polymorphic_identity:manager"`
	ManagerName *string `orm:"type:varchar(30)"`
}

type XTechnologist struct {
	XEmployee `orm:"inherits;kind:single;polymorphic_abstract"`
}

type XEngineer struct {
	XTechnologist `orm:"inherits;kind:single;polymorphic_identity:engineer"`
	EngineerInfo  *string `orm:"type:varchar(30)"`
}

type XCompany struct {
	ID   int64  `orm:"pk"`
	Name string `orm:"type:varchar(50)"`
}

func (XCompany) TableName() string { return "company" }

func abstractMiddle() []any {
	return []any{&XCompany{}, &XEmployee{}, &XManager{}, &XTechnologist{}, &XEngineer{}}
}

// --------------------------------------- joined, subtype relationship
//
// The joined models with a relationship of the Engineer subtype only
// (Engineer.Machines), reached in a loader path through OfType.

type MCompany struct {
	ID        int64        `orm:"pk"`
	Name      string       `orm:"type:varchar(50)"`
	Employees []*MEmployee `orm:"rel;back_populates:Company;order_by:ID"`
}

func (MCompany) TableName() string { return "company" }

type MEmployee struct {
	ID        int64     `orm:"pk"`
	Name      string    `orm:"type:varchar(50)"`
	Type      string    `orm:"type:varchar(50);polymorphic_on"`
	CompanyID *int64    `orm:"fk:company.id"`
	Company   *MCompany `orm:"rel;back_populates:Employees"`
}

func (MEmployee) TableName() string { return "employee" }
func (MEmployee) MapperArgs() declarative.MapperArgs {
	return declarative.MapperArgs{PolymorphicIdentity: "employee"}
}

type MManager struct {
	MEmployee   `orm:"inherits;polymorphic_identity:manager"`
	ID          int64  `orm:"pk;fk:employee.id"`
	ManagerName string `orm:"type:varchar(30)"`
}

func (MManager) TableName() string { return "manager" }

type MEngineer struct {
	MEmployee    `orm:"inherits;polymorphic_identity:engineer"`
	ID           int64       `orm:"pk;fk:employee.id"`
	EngineerInfo string      `orm:"type:varchar(30)"`
	Machines     []*MMachine `orm:"rel;order_by:ID"`
}

func (MEngineer) TableName() string { return "engineer" }

type MMachine struct {
	ID         int64  `orm:"pk"`
	Name       string `orm:"type:varchar(50)"`
	EngineerID int64  `orm:"fk:engineer.id"`
}

func (MMachine) TableName() string { return "machine" }

func machines() []any {
	return []any{&MCompany{}, &MEmployee{}, &MManager{}, &MEngineer{}, &MMachine{}}
}
