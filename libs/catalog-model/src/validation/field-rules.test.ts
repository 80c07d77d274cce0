import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
  makeValidator,
} from '@backstage/catalog-model';
import { fieldSamples, nonStrings, randomStrings } from '../testing/samples.js';
import * as rules from './field-rules.js';

type Predicate = (value: unknown) => boolean;

const backstageTag = makeValidator().isValidTag as Predicate;

// Each of our rules beside the Backstage function it must agree with.
const pairs: Array<[string, Predicate, Predicate]> = [
  ['isValidApiVersion', rules.isValidApiVersion, KubernetesValidatorFunctions.isValidApiVersion],
  ['isValidKind', rules.isValidKind, KubernetesValidatorFunctions.isValidKind],
  ['isValidEntityName', rules.isValidEntityName, KubernetesValidatorFunctions.isValidObjectName],
  ['isValidNamespace', rules.isValidNamespace, KubernetesValidatorFunctions.isValidNamespace],
  ['isValidLabelKey', rules.isValidLabelKey, KubernetesValidatorFunctions.isValidLabelKey],
  ['isValidLabelValue', rules.isValidLabelValue, KubernetesValidatorFunctions.isValidLabelValue],
  ['isValidAnnotationKey', rules.isValidAnnotationKey, KubernetesValidatorFunctions.isValidAnnotationKey],
  [
    'isValidAnnotationValue',
    rules.isValidAnnotationValue,
    KubernetesValidatorFunctions.isValidAnnotationValue,
  ],
  ['isValidTag', rules.isValidTag, backstageTag],
  ['isValidDnsLabel', rules.isValidDnsLabel, CommonValidatorFunctions.isValidDnsLabel],
  ['isValidDnsSubdomain', rules.isValidDnsSubdomain, CommonValidatorFunctions.isValidDnsSubdomain],
  ['isValidUrl', rules.isValidUrl, CommonValidatorFunctions.isValidUrl],
  ['isNonEmptyString', rules.isNonEmptyString, CommonValidatorFunctions.isNonEmptyString],
];

// Random strings over the characters the rules care about, with lengths around the limits.
const fuzz = [
  ...randomStrings(1, 3000, 'aZ09-_./:+# äA', 12),
  ...randomStrings(2, 500, 'ab-', 70),
  ...randomStrings(3, 300, 'ab.-/', 270),
  ...randomStrings(4, 300, 'abc:/.?#%@[]09 \t', 30).map((s) => `https://${s}`),
];

function disagreements(ours: Predicate, theirs: Predicate, inputs: unknown[]): unknown[] {
  return inputs.filter((input) => ours(input) !== theirs(input));
}

describe.each(pairs)('%s: parity with Backstage', (_name, ours, theirs) => {
  it(`agrees on ${fieldSamples.length} hand-picked strings`, () => {
    expect(disagreements(ours, theirs, fieldSamples)).toEqual([]);
  });

  it(`agrees on ${nonStrings.length} values that are not strings`, () => {
    expect(disagreements(ours, theirs, nonStrings)).toEqual([]);
  });

  it(`agrees on ${fuzz.length} generated strings`, () => {
    expect(disagreements(ours, theirs, fuzz)).toEqual([]);
  });

  it('sees both valid and invalid inputs in the corpus', () => {
    const all = [...fieldSamples, ...nonStrings, ...fuzz];
    expect(all.some((input) => theirs(input))).toBe(true);
    expect(all.some((input) => !theirs(input))).toBe(true);
  });
});

describe('field rules: our own cases', () => {
  it('takes apiVersions with or without a group', () => {
    expect(rules.isValidApiVersion('backstage.io/v1alpha1')).toBe(true);
    expect(rules.isValidApiVersion('v1')).toBe(true);
    expect(rules.isValidApiVersion('backstage.io/v1-alpha')).toBe(false);
    expect(rules.isValidApiVersion('a/b/c')).toBe(false);
  });

  it('holds names to 63 characters and namespaces to lowercase', () => {
    expect(rules.isValidEntityName('a'.repeat(63))).toBe(true);
    expect(rules.isValidEntityName('a'.repeat(64))).toBe(false);
    expect(rules.isValidEntityName('My_Service.v2')).toBe(true);
    expect(rules.isValidNamespace('Team')).toBe(false);
    expect(rules.isValidNamespace('team--a')).toBe(true);
  });

  it('takes tags with colons, plus and hash, but no uppercase', () => {
    expect(rules.isValidTag('k8s:prod')).toBe(true);
    expect(rules.isValidTag('c++')).toBe(true);
    expect(rules.isValidTag('Java')).toBe(false);
    expect(rules.isValidTag('a--b')).toBe(false);
  });

  it('takes label values that are empty', () => {
    expect(rules.isValidLabelValue('')).toBe(true);
    expect(rules.isValidLabelValue(' ')).toBe(false);
  });

  it('limits the key prefix to a 253-character DNS subdomain', () => {
    const prefix = `${'a'.repeat(63)}.`.repeat(4).slice(0, 253);
    expect(prefix).toHaveLength(253);
    expect(rules.isValidLabelKey(`${prefix}/x`)).toBe(true);
    expect(rules.isValidLabelKey(`${prefix}a/x`)).toBe(false);
  });
});
