import type { RuleSet } from './rule-set.ts';

/**
 * The rules shipped when a deployment configures nothing else.
 *
 * The category ages are CONFIGURABLE DEFAULTS chosen for this project, not law: MOA Order 2025 No. 4 sets no
 * maximum age for a certificate. They say how long after issue a gate still accepts one batch of that kind of
 * produce (fresh leaves and meat spoil fast, eggs keep a month). Meat needs the 动物检疫合格证明 (SAMR Order 81).
 */
export const defaultRuleSet: RuleSet = {
  version: '2026.1',
  categoryDefaults: {
    vegetable: { maxAgeHours: 72, requiredDocuments: [] },
    fruit: { maxAgeHours: 168, requiredDocuments: [] },
    tea: { maxAgeHours: 48, requiredDocuments: [] },
    livestock_poultry: { maxAgeHours: 48, requiredDocuments: ['animal_quarantine'] },
    egg: { maxAgeHours: 720, requiredDocuments: [] },
    aquatic: { maxAgeHours: 72, requiredDocuments: [] },
  },
  rules: [
    {
      id: 'certificate-within-category-age',
      description: 'A certificate is accepted only until its category’s maximum age after issue.',
      scope: 'certificate',
      reason: 'TOO_OLD',
      outcome: 'reject',
      logic: {
        'not-before': [
          { plusTime: [{ var: 'certificate.issuedLatest' }, { var: 'category.maxAgeHours' }, 'hour'] },
          { var: 'now' },
        ],
      },
    },
    {
      id: 'certificate-not-issued-in-future',
      description: 'A certificate may not be dated later than now; ten minutes allow for clock drift.',
      scope: 'certificate',
      reason: 'ISSUED_IN_FUTURE',
      outcome: 'review',
      logic: {
        'not-after': [{ var: 'certificate.issuedEarliest' }, { plusTime: [{ var: 'now' }, 10, 'minute'] }],
      },
    },
    {
      id: 'second-documents-presented',
      description: 'Every second document the lot’s category requires (e.g. animal quarantine) is presented.',
      scope: 'lot',
      reason: 'SECOND_DOCUMENT_REQUIRED',
      outcome: 'reject',
      logic: { '!': [{ var: 'lot.missingDocuments' }] },
    },
  ],
};
