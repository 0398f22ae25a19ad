/**
 * A DateTime column read by a raw query: PostgreSQL gives a Date, SQLite the text or epoch milliseconds Prisma
 * stored. Text without a zone is UTC, as Prisma writes it.
 */
export function rawDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const text = String(value);
  return new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
}
