/** One key as typed: a character, or a terminator. `at` in milliseconds on any monotonic-enough clock. */
export type Keystroke = { char: string; at: number } | { terminator: 'enter' | 'tab'; at: number };
