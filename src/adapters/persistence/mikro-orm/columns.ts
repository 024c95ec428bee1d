/*
 * A table's columns as one map from the entity's properties to how each is stored. The map is
 * the only place a property is named: the select lists, the mapping of a row to props and the
 * INSERT and UPDATE statements all come from it. Column names are the properties' names in
 * snake_case.
 */

import { parseTimestamp } from './timestamps.ts';

/** How one property is stored: what its value in the entity's JSON becomes, and what is sent for it. */
export interface Column<T> {
  read(value: unknown): T;
  write(value: T): unknown;
}

const column = <T>(read: Column<T>['read'], write: Column<T>['write'] = (value) => value) => ({
  read,
  write,
  /** The same column, holding null too. */
  nullable: (): Column<T | null> => ({
    read: (value) => (value === null ? null : read(value)),
    write: (value) => (value === null ? null : write(value)),
  }),
});

export const integer = () => column<number>((value) => value as number);
export const boolean = () => column<boolean>((value) => value as boolean);
export const text = <T extends string = string>() => column<T>((value) => value as T);
/** timestamptz, which JSON holds in ISO 8601, in UTC (the pool's sessions run in UTC: orm.ts). */
export const timestamp = () => column<Date>((value) => parseTimestamp(value as string));
/** timestamptz not null, with 'infinity' for null, which sorts after every instant. */
export const timestampOrInfinity = () =>
  column<Date | null>(
    (value) => (value === 'infinity' ? null : parseTimestamp(value as string)),
    (value) => value ?? 'infinity',
  );
/** An integer standing for one of `values`, its index: a rank that sorts as `values` do. */
export const ranked = <T>(values: readonly T[]) =>
  column<T>(
    (value) => values[value as number] as T,
    (value) => values.indexOf(value),
  );
/** text[], written as an array literal, which the driver would otherwise expand as a list. */
export const textArray = () =>
  column<readonly string[]>((value) => value as string[], arrayLiteral);

/** PostgreSQL's text form of a text[]: every element quoted, `"` and `\` escaped. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export type Columns<Props> = { [K in keyof Props]: Column<Props[K]> };
/** A row that holds an entity: `entity` in its select list. */
export interface EntityRow {
  entity: string;
}

export interface Sql {
  sql: string;
  params: unknown[];
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * The table `name`, whose rows are entities with `Props` and a generated integer `id`.
 * `derived` columns are written from the props and never read back: what only queries use.
 */
export function table<Props extends { id: number }>(
  name: string,
  columns: Columns<Props>,
  derived: Record<string, (props: Omit<Props, 'id'>) => unknown> = {},
) {
  const properties = Object.keys(columns) as (keyof Props & string)[];
  const derivedNames = Object.keys(derived);
  const written = [
    ...properties.filter((property) => property !== 'id').map(snakeCase),
    ...derivedNames.map(snakeCase),
  ];
  // Worked out once: a page of 50 maps 50 rows of every column.
  const readers = properties.map((property) => ({
    property,
    column: snakeCase(property),
    read: columns[property].read,
  }));
  const values = (props: Omit<Props, 'id'>) => [
    ...properties
      .filter((property) => property !== 'id')
      .map((property) =>
        columns[property].write((props as Props)[property] as Props[typeof property]),
      ),
    ...derivedNames.map((property) => derived[property]?.(props)),
  ];

  return {
    name,
    /**
     * The select-list item `entity`: every column of `qualifier`'s row as one JSON array, in the
     * map's order. One cell a row instead of one a column: the driver parses each cell on its
     * own, and a page of 50 tasks' 700 cells cost the service more than the query; one
     * `JSON.parse` of each row's array takes about half as long.
     */
    entity: (qualifier = '') =>
      `json_build_array(${readers.map(({ column }) => `${qualifier}${column}`).join(', ')})::text as entity`,
    fromRow(row: EntityRow): Props {
      const values = JSON.parse(row.entity) as unknown[];
      const props: Record<string, unknown> = {};
      readers.forEach(({ property, read }, index) => {
        props[property] = read(values[index]);
      });
      return props as Props;
    },
    /** Inserts every column but `id`, which the database generates; returns `returning`. */
    insert(props: Omit<Props, 'id'>, returning = 'id'): Sql {
      return {
        sql: `insert into ${name} (${written.join(', ')}) values (${written.map(() => '?').join(', ')}) returning ${returning}`,
        params: values(props),
      };
    },
    /**
     * Writes every column but `id` of the row that `where` (with `?` placeholders) picks, and
     * returns `returning` of it when given.
     */
    update(props: Props, where: Sql, returning?: string): Sql {
      return {
        sql: `update ${name} set ${written.map((column) => `${column} = ?`).join(', ')} where ${where.sql}${returning ? ` returning ${returning}` : ''}`,
        params: [...values(props), ...where.params],
      };
    },
  };
}
