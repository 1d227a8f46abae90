/** One Dockerfile instruction after joining continuation lines and dropping comments. */
export interface DockerInstruction {
  /** Upper-cased: `FROM`, `RUN`, `COPY`, … */
  readonly keyword: string;
  /** Leading `--name=value` flags (`--from`, `--chown`, `--interval`, …). */
  readonly flags: Readonly<Record<string, string>>;
  /** The rest after the flags (for HEALTHCHECK, after the `CMD` word), as written. */
  readonly args: string;
  /** The arguments in JSON (exec) form, or undefined when `args` is not a JSON array of strings. */
  readonly exec: readonly string[] | undefined;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

/** A build stage: a `FROM` and the instructions up to the next one. */
export interface DockerStage {
  readonly base: string;
  readonly name: string | undefined;
  readonly instructions: readonly DockerInstruction[];
}

/**
 * A small Dockerfile reader for tests: parser directives and comment lines are dropped,
 * lines ending in the escape character are joined (comment lines inside a continuation too,
 * as BuildKit does), and instructions are grouped into stages. It does not expand variables.
 */
export function parseDockerfile(text: string): { stages: DockerStage[] } {
  const escape = escapeDirective(text);
  const stages: { base: string; name: string | undefined; instructions: DockerInstruction[] }[] = [];
  for (const { text: logical, line } of logicalLines(text, escape)) {
    const instruction = parseInstruction(logical, line);
    if (instruction.keyword === 'FROM') {
      const [base = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (stage === undefined) throw new Error(`line ${line}: ${instruction.keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return { stages };
}

/** The `# escape=` parser directive, valid only among the directives that open the file. */
function escapeDirective(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const directive = /^#\s*(\w+)\s*=\s*(\S*)\s*$/.exec(line);
    if (!directive) break;
    if (directive[1]?.toLowerCase() === 'escape' && directive[2]) return directive[2];
  }
  return '\\';
}

function* logicalLines(text: string, escape: string): Generator<{ text: string; line: number }> {
  let pending: string[] = [];
  let start = 0;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || trimmed === '') continue;
    if (pending.length === 0) start = index + 1;
    const continued = trimmed.endsWith(escape);
    pending.push(continued ? trimmed.slice(0, -1).trimEnd() : trimmed);
    if (continued) continue;
    yield { text: pending.join(' ').trim(), line: start };
    pending = [];
  }
  if (pending.length > 0) yield { text: pending.join(' ').trim(), line: start };
}

function parseInstruction(text: string, line: number): DockerInstruction {
  const [keyword = '', ...words] = text.split(/\s+/);
  let rest = text.slice(keyword.length).trim();
  const flags: Record<string, string> = {};
  for (const word of words) {
    const flag = /^--([\w-]+)=(.*)$/.exec(word);
    if (!flag) break;
    flags[flag[1] ?? ''] = flag[2] ?? '';
    rest = rest.slice(word.length).trim();
  }
  const upper = keyword.toUpperCase();
  if (upper === 'HEALTHCHECK') rest = rest.replace(/^CMD\s+/i, '');
  return { keyword: upper, flags, args: rest, exec: jsonForm(rest), line };
}

function jsonForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined; // Docker then runs it in shell form: not JSON, which is what the caller asks.
  }
}

/**
 * Whether `.dockerignore` patterns keep `path` (relative to the context, `/`-separated) out
 * of the build context, following Docker's rules: `*` and `?` stay inside one segment, `**`
 * spans any number, a pattern that matches a directory matches everything below it, `!`
 * re-includes, and the last matching pattern wins.
 */
export function isDockerIgnored(dockerignore: string, path: string): boolean {
  let ignored = false;
  for (const raw of dockerignore.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
    if (matchesPathOrParent(globToRegExp(pattern), path)) ignored = !negated;
  }
  return ignored;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i] ?? '';
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function matchesPathOrParent(pattern: RegExp, path: string): boolean {
  const segments = path.split('/');
  return segments.some((_, index) => pattern.test(segments.slice(0, index + 1).join('/')));
}
