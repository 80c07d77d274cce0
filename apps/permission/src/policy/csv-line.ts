/** A line of a CSV policy file that cannot be split into fields. */
export class CsvLineError extends Error {}

/**
 * Splits one CSV line into fields, as Casbin's policy files (and Red Hat Developer Hub's
 * `rbac-policy.csv`) are written: fields separated by commas, whitespace around a field ignored,
 * a field may be double-quoted (then it may hold commas, and `""` is one quote). A quoted field
 * never spans lines: policy lines are single lines.
 */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new CsvLineError('a quoted field is not closed');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',')
        throw new CsvLineError(`unexpected text after a quoted field at column ${i + 1}`);
    } else {
      const end = line.indexOf(',', i);
      field = (end < 0 ? line.slice(i) : line.slice(i, end)).trim();
      if (field.includes('"'))
        throw new CsvLineError(
          'a quote inside an unquoted field (quote the whole field, and double inner quotes)',
        );
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}
