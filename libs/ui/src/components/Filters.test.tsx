import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { jest } from '@jest/globals';
import { SelectFilter, TextFilter } from './Filters.js';

describe('SelectFilter', () => {
  it('is labelled, lists options with counts, and reports the choice (empty = any)', () => {
    const onChange = jest.fn();
    render(
      <SelectFilter
        label="Lifecycle"
        value={undefined}
        options={[
          { value: 'production', count: 3 },
          { value: 'experimental', count: 1 },
        ]}
        onChange={onChange}
      />,
    );
    const select = screen.getByLabelText('Lifecycle') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'All',
      'production (3)',
      'experimental (1)',
    ]);
    fireEvent.change(select, { target: { value: 'experimental' } });
    expect(onChange).toHaveBeenLastCalledWith('experimental');
    fireEvent.change(select, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });
});

describe('TextFilter', () => {
  it('reports the text after typing stops, or at once on Enter', async () => {
    const onChange = jest.fn();
    render(<TextFilter label="Search" value="" onChange={onChange} debounceMs={20} />);
    const input = screen.getByLabelText('Search');
    fireEvent.change(input, { target: { value: 'pay' } });
    expect(onChange).not.toHaveBeenCalled();
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('pay'));
    fireEvent.change(input, { target: { value: 'payments' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenLastCalledWith('payments');
  });
});
