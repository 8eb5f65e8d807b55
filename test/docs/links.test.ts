// Every relative link of the Markdown pages points at a file that exists and, for a Markdown page, at a
// heading or `<a id>` anchor it has. External links (http:, https:, mailto:) are not followed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentationPages, repoRoot } from './support/markdown-code-blocks.js';

const PAGES = [
  ...documentationPages(),
  'CONTRIBUTING.md',
  'RELIABILITY.md',
  'BENCHMARKS.md',
  'CHANGELOG.md',
  'examples/README.md',
];

/** The page without fenced code blocks, where `#` is no heading and `[x](y)` no link. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page offers: its headings' slugs (with -1, -2 for repeats) and its `<a id>`s. */
function anchorsOf(path: string): Set<string> {
  const markdown = readFileSync(path, 'utf8');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

describe('links between the Markdown pages', () => {
  for (const page of PAGES) {
    it(`${page}: every relative link resolves`, () => {
      const broken: string[] = [];
      const text = withoutCodeBlocks(readFileSync(join(repoRoot, page), 'utf8')).replace(/`[^`\n]*`/g, '``'); // inline code holds no links
      for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // http:, https:, mailto:
        const [path, anchor] = target!.split('#', 2) as [string, string | undefined];
        const file = path === '' ? join(repoRoot, page) : join(repoRoot, dirname(page), decodeURIComponent(path));
        if (!existsSync(file)) {
          broken.push(`${target}: ${relative(repoRoot, file)} does not exist`);
          continue;
        }
        if (anchor !== undefined && statSync(file).isFile() && file.endsWith('.md') && !anchorsOf(file).has(anchor)) {
          broken.push(`${target}: ${relative(repoRoot, file)} has no heading or <a id> "${anchor}"`);
        }
      }
      expect(broken, `broken links in ${page}`).toEqual([]);
    });
  }

  it('README.md stays a front page (about 250 lines; the rest belongs in docs/)', () => {
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(260);
  });

  it('finds the anchors GitHub makes', () => {
    expect(slug('Subscription billing: `SubscriptionManager`')).toBe('subscription-billing-subscriptionmanager');
    expect(slug('Guarantees (every store)')).toBe('guarantees-every-store');
    expect(slug('Control API over HTTP (`/__emulator`)')).toBe('control-api-over-http-__emulator');
    expect(slug("The dashboard's auth type")).toBe('the-dashboards-auth-type');
  });
});
