import { palette } from '../output/colours.js';
import { formatJsonReport, formatTextReport, summarise } from './format-report.js';
import type { FileReport } from './validate-files.js';

const reports: FileReport[] = [
  { path: 'a.yaml', entities: 1, problems: [] },
  {
    path: 'b.yaml',
    entities: 3,
    problems: [
      { document: 1, entityRef: 'API:default/orders', path: 'spec.definition', message: 'is required' },
      { document: 2, message: 'YAML error: bad indentation' },
      { message: 'could not be read (EACCES)' },
    ],
  },
];

describe('formatTextReport', () => {
  it('prints a line per valid file, a block per invalid one and the summary', () => {
    expect(formatTextReport(reports, palette(false))).toBe(
      [
        '✔ a.yaml (1 entity)',
        '✖ b.yaml',
        '  document #1 API:default/orders  spec.definition: is required',
        '  document #2  YAML error: bad indentation',
        '  could not be read (EACCES)',
        '2 files, 4 entities, 3 problems',
        '',
      ].join('\n'),
    );
  });

  it('leaves out valid files when quiet', () => {
    expect(formatTextReport(reports, palette(false), { quiet: true })).not.toContain('a.yaml');
  });

  it('counts in the singular where there is one', () => {
    expect(formatTextReport([reports[0]!], palette(false))).toBe(
      '✔ a.yaml (1 entity)\n1 file, 1 entity, 0 problems\n',
    );
  });

  it('colours marks and the summary when asked', () => {
    const text = formatTextReport(reports, palette(true));
    expect(text).toContain('\u001b[32m✔\u001b[39m a.yaml \u001b[2m(1 entity)\u001b[22m');
    expect(text).toContain('\u001b[31m✖\u001b[39m b.yaml');
    expect(text).toContain('\u001b[31m2 files, 4 entities, 3 problems\u001b[39m');
  });
});

describe('formatJsonReport', () => {
  it('gives the verdict, the summary, where the kinds came from and every problem', () => {
    const report = JSON.parse(
      formatJsonReport(reports, {
        configFiles: ['/etc/portal/app-config.yaml'],
        catalogUrl: 'http://portal/api/catalog/kinds',
        customKinds: [{ kind: 'Widget', source: 'catalog.kinds[0]' }],
      }),
    );
    expect(report).toEqual({
      valid: false,
      summary: { files: 2, entities: 4, problems: 3 },
      configFiles: ['/etc/portal/app-config.yaml'],
      catalogUrl: 'http://portal/api/catalog/kinds',
      customKinds: [{ kind: 'Widget', source: 'catalog.kinds[0]' }],
      files: [
        { path: 'a.yaml', valid: true, entities: 1, problems: [] },
        { path: 'b.yaml', valid: false, entities: 3, problems: reports[1]!.problems },
      ],
    });
  });

  it('is valid for no problems', () => {
    expect(JSON.parse(formatJsonReport([reports[0]!], { configFiles: [], customKinds: [] }))).toMatchObject({
      valid: true,
    });
    expect(summarise([])).toEqual({ files: 0, entities: 0, problems: 0 });
  });
});
