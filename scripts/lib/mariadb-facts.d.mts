// Types for mariadb-facts.mjs (helpers of scripts/mariadb-residue.mjs and scripts/mariadb-partial-apply.mjs).

/** The collections seedAllTypes creates: big_ids, all_types. */
export declare const ALL_TYPES_COLLECTIONS: string[]
/** One field definition of each Directus type that has a column (string, string(50), text, boolean, … hash). */
export declare const ALL_TYPES_FIELDS: Array<Record<string, any>>

/**
 * Creates `big_ids` (bigInteger auto-increment key) and `all_types` (one field of each type, plus `big_ref`, a
 * bigInteger). `bigIntegerRelation` makes big_ref a many-to-one to big_ids, which MySQL/MariaDB refuse (errno 150).
 */
export declare function seedAllTypes(url: string, token: string, options?: { bigIntegerRelation?: boolean }): Promise<void>

/** One line for a deep-diff entry of POST /schema/diff, e.g. `E schema.data_type: "varchar" -> "char"` (target -> snapshot). */
export declare function describeEntry(entry: { kind: string; path?: Array<string | number>; lhs?: unknown; rhs?: unknown; index?: number; item?: any }): string

/** Columns, CHECK constraints and foreign keys of some tables of a MySQL/MariaDB database, one line each. */
export declare function mysqlColumns(dbName: string, tables: string[]): Promise<string[]>
