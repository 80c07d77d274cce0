import { fireEvent, render, screen, within } from '@testing-library/react';
import { jest } from '@jest/globals';
import { Table, type TableColumn } from './Table.js';

interface Row {
  name: string;
  size: number;
}
const rows: Row[] = [
  { name: 'beta', size: 2 },
  { name: 'Alpha', size: 10 },
  { name: 'gamma', size: 1 },
];
const columns: TableColumn<Row>[] = [
  { key: 'name', title: 'Name', render: (r) => r.name, sortValue: (r) => r.name },
  { key: 'size', title: 'Size', render: (r) => String(r.size), sortValue: (r) => r.size },
  { key: 'note', title: 'Note', render: () => '-' },
];

const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[0]!.textContent);

describe('Table', () => {
  it('sorts locally by a column header, ascending then descending, with aria-sort', () => {
    render(<Table caption="Things" columns={columns} rows={rows} rowKey={(r) => r.name} />);
    expect(screen.getByRole('table', { name: 'Things' })).toBeTruthy();
    expect(names()).toEqual(['beta', 'Alpha', 'gamma']);
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(names()).toEqual(['Alpha', 'beta', 'gamma']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /Name/ }));
    expect(names()).toEqual(['gamma', 'beta', 'Alpha']);
    fireEvent.click(screen.getByRole('button', { name: /Size/ }));
    expect(names()).toEqual(['gamma', 'beta', 'Alpha']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('none');
    expect(screen.queryByRole('button', { name: /Note/ })).toBeNull();
  });

  it('leaves sorting to the owner when controlled, and shows the empty message', () => {
    const onSortChange = jest.fn();
    const { rerender } = render(
      <Table
        caption="Things"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.name}
        sort={{ key: 'size', direction: 'asc' }}
        onSortChange={onSortChange}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: /Size/ }));
    expect(onSortChange).toHaveBeenCalledWith({ key: 'size', direction: 'desc' });
    expect(names()).toEqual(['beta', 'Alpha', 'gamma']);
    rerender(
      <Table caption="Things" columns={columns} rows={[]} rowKey={(r) => r.name} emptyMessage="None here" />,
    );
    expect(screen.getByText('None here')).toBeTruthy();
  });
});
