import { useMemo, useState, type ReactNode } from 'react';

export type SortDirection = 'asc' | 'desc';

export interface SortState {
  key: string;
  direction: SortDirection;
}

export interface TableColumn<Row> {
  key: string;
  title: string;
  render: (row: Row) => ReactNode;
  /** Makes the column sortable; used to sort locally unless the table's sort is controlled. */
  sortValue?: (row: Row) => string | number | undefined;
  /** Sortable by the server (controlled sort) even without a sortValue. */
  sortable?: boolean;
}

export interface TableProps<Row> {
  caption: string;
  columns: TableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** Controlled sort (e.g. by the server): with onSortChange the rows are shown as given. */
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  emptyMessage?: ReactNode;
}

function compare(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
}

/** An accessible data table whose sortable column headers are buttons (aria-sort on the header). */
export function Table<Row>(props: TableProps<Row>) {
  const { columns, rows, rowKey, onSortChange } = props;
  const [localSort, setLocalSort] = useState<SortState | undefined>(undefined);
  const sort = onSortChange ? props.sort : localSort;

  const shown = useMemo(() => {
    if (onSortChange || !sort) return rows;
    const column = columns.find((c) => c.key === sort.key);
    if (!column?.sortValue) return rows;
    const value = column.sortValue;
    const sign = sort.direction === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => sign * compare(value(a), value(b)));
  }, [rows, columns, sort, onSortChange]);

  const toggle = (key: string) => {
    const next: SortState = {
      key,
      direction: sort?.key === key && sort.direction === 'asc' ? 'desc' : 'asc',
    };
    if (onSortChange) onSortChange(next);
    else setLocalSort(next);
  };

  return (
    <div className="pt-table-wrap">
      <table className="pt-table">
        <caption className="pt-visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sortable = Boolean(column.sortValue || (onSortChange && column.sortable));
              const active = sort?.key === column.key;
              const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th key={column.key} scope="col" aria-sort={sortable ? (ariaSort ?? 'none') : undefined}>
                  {sortable ? (
                    <button type="button" className="pt-sort-button" onClick={() => toggle(column.key)}>
                      {column.title}
                      <span aria-hidden="true">
                        {active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                      </span>
                    </button>
                  ) : (
                    column.title
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="pt-muted">
                {props.emptyMessage ?? 'Nothing to show'}
              </td>
            </tr>
          ) : (
            shown.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key}>{column.render(row)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
