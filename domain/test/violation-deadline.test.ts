import { describe, expect, it } from 'vitest';
import { violationAgeing } from '../src/violation/violation-deadline.ts';

const opened = new Date('2026-06-01T00:00:00Z');
const after = (days: number) => new Date(opened.getTime() + days * 24 * 60 * 60 * 1000);

describe('violation deadlines', () => {
  it('an open violation is due for review 3 days after it opened, and overdue after', () => {
    expect(violationAgeing('open', opened, after(2))).toEqual({
      ageDays: 2,
      dueAt: after(3),
      overdue: false,
    });
    expect(violationAgeing('open', opened, after(4)).overdue).toBe(true);
  });

  it('one under review is due for a decision within 15 days', () => {
    expect(violationAgeing('reviewing', opened, after(10)).overdue).toBe(false);
    expect(violationAgeing('reviewing', opened, after(16)).overdue).toBe(true);
  });

  it('dismissed and rectified violations have no deadline', () => {
    expect(violationAgeing('rectified', opened, after(400))).toEqual({
      ageDays: 400,
      dueAt: null,
      overdue: false,
    });
    expect(violationAgeing('dismissed', opened, after(400)).overdue).toBe(false);
  });
});
