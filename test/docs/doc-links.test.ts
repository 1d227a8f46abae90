import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, proseOf } from '../support/markdown.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const markdownIn = (dir: string, options: { recursive?: boolean } = {}) =>
  readdirSync(join(root, dir), { recursive: options.recursive ?? false, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => (dir === '.' ? name : `${dir}/${name}`));
/** The repository's own pages: the top level (README, SECURITY, CHANGELOG), docs/ and the deployment kit. */
const pages = [...markdownIn('.'), ...markdownIn('docs'), ...markdownIn('deploy', { recursive: true })];

/** Every relative link of a page (`[text](target)`), outside code blocks. */
function relativeLinksOf(text: string): string[] {
  return [...proseOf(text).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('the documentation pages', () => {
  it.each(pages)('%s links only to pages and headings that exist', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    const broken = relativeLinksOf(text).filter((link) => {
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? join(root, page) : join(dirname(join(root, page)), path);
      if (!existsSync(target)) return true;
      return anchor !== undefined && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor);
    });

    expect(broken, `broken links in ${relative(root, join(root, page))}`).toEqual([]);
  });
});
