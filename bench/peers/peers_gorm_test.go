package peers

// gorm: gorm.io/gorm with gorm.io/driver/postgres (pgx stdlib underneath),
// default configuration except a silent logger: GORM wraps each write in
// its default transaction (BEGIN … COMMIT), and the reads run in
// db.Transaction so that they send the same BEGIN/COMMIT as every other
// library.
//
//   - insert_one: Create(&u) (INSERT … RETURNING "id").
//   - insert_100: Create(&users) with a slice of 100: one multi-row
//     INSERT … RETURNING "id".
//   - update_pk: Save(&u) of a struct holding all its fields: GORM's
//     "save an object" path, which writes every column (UPDATE … SET
//     name, email, age WHERE id).
//   - load_update_pk: in db.Transaction, First(&u, id), set Name, Save(&u).
//   - read_one_pk: First(&u, id) (… WHERE id = $1 ORDER BY id LIMIT 1).
//   - read_100: Where("id BETWEEN ? AND ?").Order("id").Find(&users).
//   - eager_100x10: Preload("Children").Order("id").Limit(100).Find(&ps):
//     the parents, then one SELECT of the children WHERE parent_id IN
//     ($1 … $100).
//   - bulk_10k: CreateInBatches(users, 1000) (10 INSERTs of 1,000 rows
//     RETURNING "id" in one transaction), ids read back.

import (
	"context"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

type GormUser struct {
	ID    int64 `gorm:"primaryKey"`
	Name  string
	Email string
	Age   int
}

func (GormUser) TableName() string { return usersTable }

type GormParent struct {
	ID       int64 `gorm:"primaryKey"`
	Name     string
	Children []*GormChild `gorm:"foreignKey:ParentID"`
}

func (GormParent) TableName() string { return parentsTable }

type GormChild struct {
	ID       int64 `gorm:"primaryKey"`
	ParentID int64
	Name     string
}

func (GormChild) TableName() string { return childrenTable }

func gormNewBatch(first, n int) any {
	us := make([]*GormUser, n)
	for k := range us {
		i := first + k
		us[k] = &GormUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
	}
	return us
}

func gormBatchIDs(batch any) []int64 {
	us := batch.([]*GormUser)
	ids := make([]int64, len(us))
	for k, u := range us {
		ids[k] = u.ID
	}
	return ids
}

func init() {
	register(func() (impl, error) {
		im := impl{name: "gorm"}
		db, err := gorm.Open(postgres.Open(benchURL()), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			return im, err
		}
		sdb, err := db.DB()
		if err != nil {
			return im, err
		}
		sdb.SetMaxOpenConns(poolSize)
		sdb.SetMaxIdleConns(poolSize)
		if err := sdb.Ping(); err != nil {
			return im, err
		}
		im.insertOne = func(ctx context.Context, i int) (int64, error) {
			u := &GormUser{Name: userName(i), Email: userEmail(i), Age: userAge(i)}
			err := db.WithContext(ctx).Create(u).Error
			return u.ID, err
		}
		im.newBatch, im.batchIDs = gormNewBatch, gormBatchIDs
		im.insertBatch = func(ctx context.Context, batch any) error {
			return db.WithContext(ctx).Create(batch.([]*GormUser)).Error
		}
		im.bulk = func(ctx context.Context, batch any) error {
			return db.WithContext(ctx).CreateInBatches(batch.([]*GormUser), bulkStmtMax).Error
		}
		im.bulkReturnsIDs = true
		im.updatePK = func(ctx context.Context, id int64, name string) error {
			email, age := known(id)
			u := &GormUser{ID: id, Name: name, Email: email, Age: age}
			return db.WithContext(ctx).Save(u).Error
		}
		im.loadUpdatePK = func(ctx context.Context, id int64, name string) error {
			return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				u := &GormUser{}
				if err := tx.First(u, id).Error; err != nil {
					return err
				}
				u.Name = name
				return tx.Save(u).Error
			})
		}
		im.readPK = func(ctx context.Context, id int64) (string, error) {
			u := &GormUser{}
			err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return tx.First(u, id).Error })
			return u.Name, err
		}
		im.read100 = func(ctx context.Context, lo int64) (any, error) {
			out := make([]*GormUser, 0, 100)
			err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				return tx.Where("id BETWEEN ? AND ?", lo, lo+99).Order("id").Find(&out).Error
			})
			return out, err
		}
		im.idsOf = gormBatchIDs
		im.eager = func(ctx context.Context) (any, error) {
			var parents []*GormParent
			err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				return tx.Preload("Children").Order("id").Limit(nParents).Find(&parents).Error
			})
			return parents, err
		}
		im.graphOf = func(v any) map[int64][]int64 {
			g := map[int64][]int64{}
			for _, p := range v.([]*GormParent) {
				g[p.ID] = []int64{}
				for _, c := range p.Children {
					g[p.ID] = append(g[p.ID], c.ParentID)
				}
			}
			return g
		}
		return im, nil
	})
}
