import { render } from '@testing-library/react';
import { MarkdownView } from './MarkdownView.js';

function html(content: string): HTMLElement {
  return render(<MarkdownView content={content} />).container;
}

describe('MarkdownView', () => {
  it('renders markdown', () => {
    const root = html('# Title\n\nSome **bold** text and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect(root.querySelector('table td')?.textContent).toBe('1');
  });

  it('shows raw HTML as text, never as elements', () => {
    const root = html(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)"> <iframe src="/x"></iframe>',
    );
    expect(root.querySelector('script, img, iframe')).toBeNull();
    expect(root.textContent).toContain('<script>alert(1)</script>');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<b>x</b>',
    'file:///etc/passwd',
  ])('does not link %s', (url) => {
    expect(html(`[click](${url})`).querySelector('a')).toBeNull();
  });

  it('links http(s), mailto and relative targets; external ones open safely', () => {
    const root = html(
      '[a](https://example.com/x) [b](mailto:team@example.com) [c](./docs/readme.md) https://auto.example.org',
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/x',
      'mailto:team@example.com',
      './docs/readme.md',
      'https://auto.example.org',
    ]);
    expect(links[0]!.getAttribute('rel')).toContain('noopener');
    expect(links[1]!.getAttribute('target')).toBeNull();
  });
});
