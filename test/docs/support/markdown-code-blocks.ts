import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root (test/docs/support → ../../..). */
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** The pages whose TypeScript blocks the tests compile: README.md and every docs/*.md. */
export function documentationPages(): string[] {
  const docs = readdirSync(join(repoRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join('docs', name));
  return ['README.md', ...docs];
}

/**
 * One fenced TypeScript block of a page, with the directives written in HTML comments right above it:
 *
 * - `<!-- not compiled: <reason> -->` — leave it out (say why; the test counts them);
 * - `<!-- name: <id> -->` — lets a later block of the same page continue this one;
 * - `<!-- after: <id> -->` — compiled (and run) as the named block followed by this one;
 * - `<!-- runnable: <environment> -->` — also executed, in an environment of `doc-environments.ts`.
 *
 * Several directives may share one comment, separated by `;`.
 */
export interface CodeBlock {
  /** Page path relative to the repository root, e.g. `docs/client.md`. */
  page: string;
  /** 1-based line of the page where the code starts (the line after the opening fence). */
  line: number;
  code: string;
  name?: string;
  after?: string;
  runnable?: string;
  notCompiled?: string;
}

const TYPESCRIPT = new Set(['ts', 'typescript']);
const DIRECTIVES = new Set(['not compiled', 'name', 'after', 'runnable']);

/** Every ```ts / ```typescript block of a page (other languages are not TypeScript and are left alone). */
export function typescriptBlocks(page: string): CodeBlock[] {
  const lines = readFileSync(join(repoRoot, page), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, language] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(fence!)) end += 1;
    if (TYPESCRIPT.has(language!.toLowerCase())) {
      const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l));
      blocks.push({ page, line: i + 2, code: code.join('\n'), ...directivesAbove(lines, i, page) });
    }
    i = end;
  }
  return blocks;
}

/** Reads the HTML comments directly above line `fenceIndex` (blank lines may separate them). */
function directivesAbove(lines: string[], fenceIndex: number, page: string): Partial<CodeBlock> {
  const found: Partial<CodeBlock> = {};
  for (let j = fenceIndex - 1; j >= 0; j -= 1) {
    const text = lines[j]!.trim();
    if (text === '') continue;
    const comment = /^<!--(.*)-->$/.exec(text);
    if (!comment) break;
    for (const part of comment[1]!.split(';')) {
      const [key, ...rest] = part.split(':');
      const directive = key!.trim();
      const value = rest.join(':').trim();
      if (!DIRECTIVES.has(directive)) {
        throw new Error(
          `${page}:${j + 1}: unknown code-block directive "${part.trim()}" (known: ${[...DIRECTIVES].join(', ')}).`,
        );
      }
      if (!value)
        throw new Error(
          `${page}:${j + 1}: the "${directive}" directive needs a value, e.g. "<!-- ${directive}: … -->".`,
        );
      if (directive === 'not compiled') found.notCompiled = value;
      else if (directive === 'name') found.name = value;
      else if (directive === 'after') found.after = value;
      else found.runnable = value;
    }
  }
  return found;
}

/** `page:line` for messages. */
export function where(block: Pick<CodeBlock, 'page' | 'line'>): string {
  return `${block.page}:${block.line}`;
}

/** A path relative to the repository root. */
export function fromRoot(path: string): string {
  return relative(repoRoot, path);
}
