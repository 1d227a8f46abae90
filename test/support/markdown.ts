/** Markdown prose without its fenced code blocks. */
export const proseOf = (text: string): string => text.replace(/```[\s\S]*?```/g, '');

/** The headings of a page, outside code blocks. */
export const headingsOf = (text: string): string[] =>
  [...proseOf(text).matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1] ?? '');

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export const anchorOf = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

/** The anchors of a page's headings. */
export const anchorsOf = (text: string): Set<string> => new Set(headingsOf(text).map(anchorOf));
