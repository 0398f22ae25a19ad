/**
 * A CertLogic-style subset of JsonLogic. Pure and total: `evaluateLogic` never throws, it returns a value or a
 * coded error; `validateLogic` finds unknown operators and wrong arity before anything is evaluated.
 */

export type LogicValue = null | boolean | number | string | LogicValue[] | { [key: string]: LogicValue };

export type LogicErrorCode =
  | 'UNKNOWN_OPERATOR'
  | 'BAD_ARITY'
  | 'BAD_EXPRESSION'
  | 'TYPE_ERROR'
  | 'BAD_DATETIME'
  | 'DIVISION_BY_ZERO'
  | 'TOO_DEEP';

export interface LogicError {
  code: LogicErrorCode;
  /** where in the expression, as a JSON-pointer-like path of keys and indices */
  path: string;
  operator?: string;
}

export type Evaluated = { ok: true; value: LogicValue } | { ok: false; error: LogicError };

/** Deep enough for any sensible rule, shallow enough that a hostile snapshot cannot blow the stack. */
export const maxLogicDepth = 32;

/** [min, max] argument counts per operator; max Infinity for variadic ones. */
const arity = {
  var: [1, 2],
  if: [3, 3],
  '===': [2, 2],
  '!==': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  '>': [2, 2],
  '>=': [2, 2],
  and: [2, Number.POSITIVE_INFINITY],
  or: [2, Number.POSITIVE_INFINITY],
  '!': [1, 1],
  '!!': [1, 1],
  in: [2, 2],
  '+': [1, Number.POSITIVE_INFINITY],
  '-': [1, 2],
  '*': [2, Number.POSITIVE_INFINITY],
  '/': [2, 2],
  after: [2, 3],
  before: [2, 3],
  'not-after': [2, 3],
  'not-before': [2, 3],
  plusTime: [3, 3],
} as const satisfies Record<string, readonly [number, number]>;

export type LogicOperator = keyof typeof arity;
export const logicOperators = Object.keys(arity) as LogicOperator[];

const timeUnits = ['minute', 'hour', 'day', 'month', 'year'] as const;
type TimeUnit = (typeof timeUnits)[number];

function isOperator(name: string): name is LogicOperator {
  return Object.hasOwn(arity, name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function argumentsOf(operand: unknown): unknown[] {
  return Array.isArray(operand) ? operand : [operand];
}

/** CertLogic truthiness: false, null, 0, NaN, '', [] and {} are falsy; everything else is truthy. */
export function isTruthy(value: LogicValue): boolean {
  if (value === null || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Every structural error in `expr`, empty when it is safe to evaluate. */
export function validateLogic(expr: unknown, path = '', depth = 0): LogicError[] {
  if (depth > maxLogicDepth) return [{ code: 'TOO_DEEP', path }];
  if (expr === null || typeof expr === 'boolean' || typeof expr === 'string') return [];
  if (typeof expr === 'number') return Number.isFinite(expr) ? [] : [{ code: 'BAD_EXPRESSION', path }];
  if (Array.isArray(expr)) return expr.flatMap((item, i) => validateLogic(item, `${path}/${i}`, depth + 1));
  if (!isPlainObject(expr)) return [{ code: 'BAD_EXPRESSION', path }];
  const keys = Object.keys(expr);
  if (keys.length !== 1) return [{ code: 'BAD_EXPRESSION', path }];
  const operator = keys[0]!;
  const at = `${path}/${operator}`;
  if (!isOperator(operator)) return [{ code: 'UNKNOWN_OPERATOR', path: at, operator }];
  const args = argumentsOf(expr[operator]);
  const [min, max] = arity[operator];
  if (args.length < min || args.length > max) return [{ code: 'BAD_ARITY', path: at, operator }];
  if (operator === 'var' && typeof args[0] !== 'string' && typeof args[0] !== 'number') {
    return [{ code: 'BAD_EXPRESSION', path: at, operator }];
  }
  if (operator === 'plusTime' && !(timeUnits as readonly unknown[]).includes(args[2])) {
    return [{ code: 'BAD_EXPRESSION', path: `${at}/2`, operator }];
  }
  return args.flatMap((arg, i) => validateLogic(arg, `${at}/${i}`, depth + 1));
}

function fail(code: LogicErrorCode, path: string, operator?: string): Evaluated {
  return { ok: false, error: operator === undefined ? { code, path } : { code, path, operator } };
}

function ok(value: LogicValue): Evaluated {
  return { ok: true, value };
}

/** Looks up a dot path ('lot.quantity', 'items.0'); '' is the whole data. Missing steps give null. */
function lookup(data: LogicValue, path: string): LogicValue {
  if (path === '') return data;
  let current: LogicValue = data;
  for (const step of path.split('.')) {
    if (Array.isArray(current)) {
      const index = Number(step);
      current = Number.isInteger(index) && index >= 0 ? (current[index] ?? null) : null;
    } else if (isPlainObject(current) && Object.hasOwn(current, step)) {
      current = (current as Record<string, LogicValue>)[step] ?? null;
    } else {
      return null;
    }
  }
  return current;
}

function parseTime(value: LogicValue): number | undefined {
  if (typeof value !== 'string') return undefined;
  // Only full ISO 8601 date-times or dates; Date.parse alone accepts too much.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function addTime(time: number, amount: number, unit: TimeUnit): number {
  const date = new Date(time);
  switch (unit) {
    case 'minute':
      return time + amount * 60_000;
    case 'hour':
      return time + amount * 3_600_000;
    case 'day':
      return time + amount * 86_400_000;
    case 'month':
      return date.setUTCMonth(date.getUTCMonth() + amount);
    case 'year':
      return date.setUTCFullYear(date.getUTCFullYear() + amount);
  }
}

function strictEquals(a: LogicValue, b: LogicValue): boolean {
  // Like JavaScript ===: arrays and objects are equal only to themselves, which in data means never.
  return a === b;
}

const numericOrder = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
};

const timeOrder = {
  after: (a: number, b: number) => a > b,
  before: (a: number, b: number) => a < b,
  'not-after': (a: number, b: number) => a <= b,
  'not-before': (a: number, b: number) => a >= b,
};

/** Evaluates `expr` against `data`. Never throws. */
export function evaluateLogic(expr: unknown, data: LogicValue, path = '', depth = 0): Evaluated {
  if (depth > maxLogicDepth) return fail('TOO_DEEP', path);
  if (expr === null || typeof expr === 'boolean' || typeof expr === 'string') return ok(expr);
  if (typeof expr === 'number') return Number.isFinite(expr) ? ok(expr) : fail('BAD_EXPRESSION', path);
  if (Array.isArray(expr)) {
    const values: LogicValue[] = [];
    for (const [i, item] of expr.entries()) {
      const result = evaluateLogic(item, data, `${path}/${i}`, depth + 1);
      if (!result.ok) return result;
      values.push(result.value);
    }
    return ok(values);
  }
  if (!isPlainObject(expr)) return fail('BAD_EXPRESSION', path);
  const keys = Object.keys(expr);
  if (keys.length !== 1) return fail('BAD_EXPRESSION', path);
  const operator = keys[0]!;
  const at = `${path}/${operator}`;
  if (!isOperator(operator)) return fail('UNKNOWN_OPERATOR', at, operator);
  const args = argumentsOf(expr[operator]);
  const [min, max] = arity[operator];
  if (args.length < min || args.length > max) return fail('BAD_ARITY', at, operator);
  const evaluate = (i: number): Evaluated => evaluateLogic(args[i], data, `${at}/${i}`, depth + 1);

  switch (operator) {
    case 'var': {
      const name = args[0];
      if (typeof name !== 'string' && typeof name !== 'number') return fail('BAD_EXPRESSION', at, operator);
      const found = lookup(data, String(name));
      if (found !== null || args.length === 1) return ok(found);
      return evaluate(1);
    }
    case 'if': {
      const condition = evaluate(0);
      if (!condition.ok) return condition;
      return evaluate(isTruthy(condition.value) ? 1 : 2);
    }
    case 'and':
    case 'or': {
      let last: Evaluated = ok(null);
      for (let i = 0; i < args.length; i++) {
        last = evaluate(i);
        if (!last.ok) return last;
        // Short-circuits like JsonLogic: and stops at the first falsy operand, or at the first truthy one.
        if (isTruthy(last.value) === (operator === 'or')) return last;
      }
      return last;
    }
    case '!':
    case '!!': {
      const operand = evaluate(0);
      if (!operand.ok) return operand;
      return ok(operator === '!!' ? isTruthy(operand.value) : !isTruthy(operand.value));
    }
    case 'plusTime': {
      const [start, amount] = [evaluate(0), evaluate(1)];
      if (!start.ok) return start;
      if (!amount.ok) return amount;
      const time = parseTime(start.value);
      if (time === undefined) return fail('BAD_DATETIME', `${at}/0`, operator);
      const unit = args[2];
      if (!(timeUnits as readonly unknown[]).includes(unit))
        return fail('BAD_EXPRESSION', `${at}/2`, operator);
      // Calendar units only step in whole months and years; clock units may be fractional (1.5 hours).
      const whole = unit === 'month' || unit === 'year';
      if (typeof amount.value !== 'number' || (whole && !Number.isInteger(amount.value))) {
        return fail('TYPE_ERROR', `${at}/1`, operator);
      }
      const shifted = addTime(time, amount.value, unit as TimeUnit);
      if (!Number.isFinite(shifted) || Math.abs(shifted) > 8.64e15) return fail('BAD_DATETIME', at, operator);
      return ok(new Date(shifted).toISOString());
    }
    default:
      return evaluateStrict(operator, args.length, evaluate, at);
  }
}

/** Operators that evaluate every operand first. */
function evaluateStrict(
  operator: Exclude<LogicOperator, 'var' | 'if' | 'and' | 'or' | '!' | '!!' | 'plusTime'>,
  count: number,
  evaluate: (i: number) => Evaluated,
  at: string,
): Evaluated {
  const values: LogicValue[] = [];
  for (let i = 0; i < count; i++) {
    const result = evaluate(i);
    if (!result.ok) return result;
    values.push(result.value);
  }
  switch (operator) {
    case '===':
      return ok(strictEquals(values[0]!, values[1]!));
    case '!==':
      return ok(!strictEquals(values[0]!, values[1]!));
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!values.every((v): v is number => typeof v === 'number')) return fail('TYPE_ERROR', at, operator);
      const holds = numericOrder[operator];
      return ok(values.every((v, i) => i === 0 || holds(values[i - 1] as number, v as number)));
    }
    case 'after':
    case 'before':
    case 'not-after':
    case 'not-before': {
      const times = values.map(parseTime);
      if (times.some((t) => t === undefined)) return fail('BAD_DATETIME', at, operator);
      const holds = timeOrder[operator];
      return ok(times.every((t, i) => i === 0 || holds(times[i - 1]!, t!)));
    }
    case 'in': {
      const [needle, haystack] = values;
      if (Array.isArray(haystack)) return ok(haystack.some((item) => strictEquals(item, needle!)));
      if (typeof haystack === 'string' && typeof needle === 'string') return ok(haystack.includes(needle));
      return fail('TYPE_ERROR', at, operator);
    }
    case '+':
    case '-':
    case '*':
    case '/': {
      if (!values.every((v): v is number => typeof v === 'number')) return fail('TYPE_ERROR', at, operator);
      const numbers = values as number[];
      const result = arithmetic(operator, numbers);
      if (result === undefined) return fail('DIVISION_BY_ZERO', at, operator);
      return Number.isFinite(result) ? ok(result) : fail('TYPE_ERROR', at, operator);
    }
  }
}

function arithmetic(operator: '+' | '-' | '*' | '/', numbers: number[]): number | undefined {
  const [first, second] = numbers as [number, number | undefined];
  switch (operator) {
    case '+':
      return numbers.reduce((sum, n) => sum + n, 0);
    case '-':
      return second === undefined ? -first : first - second;
    case '*':
      return numbers.reduce((product, n) => product * n, 1);
    case '/':
      return second === 0 || second === undefined ? undefined : first / second;
  }
}
