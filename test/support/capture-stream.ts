/** A pino destination that keeps every JSON line it is given, parsed, for assertions. */
export interface CapturedLines {
  readonly stream: { write(line: string): void };
  /** The parsed lines so far. */
  readonly lines: Record<string, unknown>[];
  /** Every line as written, joined: for "the token appears nowhere" checks. */
  readonly raw: () => string;
  /** Forgets every line so far (a long test checks and drops them as it goes). */
  readonly clear: () => void;
}

export function captureLines(): CapturedLines {
  const written: string[] = [];
  const lines: Record<string, unknown>[] = [];
  return {
    stream: {
      write(line: string) {
        written.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
    lines,
    raw: () => written.join(''),
    clear: () => {
      written.length = 0;
      lines.length = 0;
    },
  };
}
