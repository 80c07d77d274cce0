// Small text helpers for names, titles and descriptions.

/** `payments-ledger` → `Payments Ledger`. */
export function titleCase(name: string): string {
  return name
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}

/** `shipments` → `Shipments`, `payments-ledger` → `PaymentsLedger`. */
export function pascalCase(name: string): string {
  return titleCase(name).replace(/ /g, '');
}

/** The singular of the API nouns (`accounts` → `account`). */
export function singular(noun: string): string {
  return noun.endsWith('s') ? noun.slice(0, -1) : noun;
}

/** A person's name as an entity name: lowercase ASCII letters and digits, dots between the parts. */
export function personSlug(first: string, last: string): string {
  const ascii = (word: string) =>
    word
      .replace(/ı/g, 'i')
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
  return `${ascii(first)}.${ascii(last)}`;
}
