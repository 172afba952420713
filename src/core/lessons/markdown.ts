/**
 * A safe subset of Markdown for lesson text, parsed to plain data that the page renders with
 * ordinary elements: nothing in a lesson is ever treated as HTML. Supported: paragraphs, `###`
 * headings, `-` and `1.` lists, `**strong**`, `*emphasis*`, `` `code` `` and `[links](https://...)`
 * (https only). Anything else, HTML tags included, is shown as the text it is.
 */

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong' | 'em' | 'code'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

export type Block =
  | { readonly kind: 'p'; readonly inlines: readonly Inline[] }
  | { readonly kind: 'h'; readonly inlines: readonly Inline[] }
  | { readonly kind: 'ul' | 'ol'; readonly items: readonly (readonly Inline[])[] };

const INLINE = /\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Splits one line of text into inline runs. A link that is not https stays as text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let at = 0;
  const push = (x: Inline) => {
    const last = out[out.length - 1];
    if (x.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + x.text };
    else out.push(x);
  };
  for (const m of text.matchAll(INLINE)) {
    if (m.index > at) push({ kind: 'text', text: text.slice(at, m.index) });
    if (m[1] !== undefined) push({ kind: 'strong', text: m[1] });
    else if (m[2] !== undefined) push({ kind: 'em', text: m[2] });
    else if (m[3] !== undefined) push({ kind: 'code', text: m[3] });
    else if (isSafeHref(m[5] as string)) push({ kind: 'link', text: m[4] as string, href: m[5] as string });
    else push({ kind: 'text', text: m[0] });
    at = m.index + m[0].length;
  }
  if (at < text.length) push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** Only absolute https links (and the lab's own `#...` links) are followed. */
export function isSafeHref(href: string): boolean {
  if (href.startsWith('#')) return true;
  try {
    return new URL(href).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Parses lesson text into blocks. Blank lines separate paragraphs; lines in a paragraph join with a space. */
export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { kind: 'ul' | 'ol'; items: Inline[][] } | null = null;
  const flush = () => {
    if (para.length) blocks.push({ kind: 'p', inlines: parseInline(para.join(' ')) });
    if (list) blocks.push(list);
    para = [];
    list = null;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const bullet = /^(-|\*|\d+\.)\s+(.*)$/.exec(line);
    if (line === '') flush();
    else if (/^#{1,6}\s/.test(line)) {
      flush();
      blocks.push({ kind: 'h', inlines: parseInline(line.replace(/^#+\s+/, '')) });
    } else if (bullet) {
      const kind = /\d/.test(bullet[1] as string) ? 'ol' : 'ul';
      if (para.length || (list && list.kind !== kind)) flush();
      list ??= { kind, items: [] };
      list.items.push(parseInline(bullet[2] as string));
    } else if (list && /^\s{2,}/.test(raw)) {
      const items = list.items;
      items[items.length - 1] = parseInline(`${inlineText(items[items.length - 1] ?? [])} ${line}`);
    } else {
      if (list) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** The plain text of inline runs (for search, printing and tests). */
export function inlineText(inlines: readonly Inline[]): string {
  return inlines.map((i) => (i.kind === 'strong' ? `**${i.text}**` : i.kind === 'em' ? `*${i.text}*` : i.kind === 'code' ? `\`${i.text}\`` : i.kind === 'link' ? `[${i.text}](${i.href})` : i.text)).join('');
}
