import { fireEvent, render, screen } from '@testing-library/react';
import { ThemeProvider, ThemeToggle } from './theme.js';

describe('ThemeProvider and ThemeToggle', () => {
  it('switches between light and dark on <html>, remembers the choice, and is labelled', () => {
    localStorage.setItem('portal.theme', 'dark');
    const { unmount } = render(
      <ThemeProvider>
        <ThemeToggle />
      </ThemeProvider>,
    );
    expect(document.documentElement.dataset.theme).toBe('dark');
    fireEvent.click(screen.getByRole('button', { name: 'Switch to light theme' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem('portal.theme')).toBe('light');
    unmount();
    render(
      <ThemeProvider>
        <ThemeToggle />
      </ThemeProvider>,
    );
    expect(screen.getByRole('button', { name: 'Switch to dark theme' })).toBeTruthy();
  });
});
