/**
 * The `{request=NAME}` tag of a threshold key, with quoting: request names
 * are free text (`GET /api/ratings/{id}` is a natural one), so a name holding
 * the tag's own delimiters is written in double quotes, with `\"` and `\\`
 * escapes inside, and every renderer can print any name so it parses back.
 */

/** What parsing a tag's body (the text between `{` and the last `}`) gives: a name, or what is wrong and how to write it (`unquoted`: the name that needs quotes). */
export type TagParse = { ok: true; request: string } | { ok: false; message: string; hint: string; unquoted?: string };

/** Characters a bare name cannot hold (the tag's delimiters, quote and escape), and blanks at its ends, which a bare name loses. */
const NEEDS_QUOTES = /[,{}"\\]|^\s|\s$/;

/** `{request=NAME}` for a request name: bare when it can be, else quoted with `\"` and `\\` escapes. */
export function formatRequestTag(name: string): string {
  return `{request=${NEEDS_QUOTES.test(name) ? `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"` : name}}`;
}

/** Parse a tag body: `request=NAME` or `request="NAME"`; blanks around `request`, `=` and the value are ignored. */
export function parseRequestTag(body: string): TagParse {
  const m = /^\s*request\s*=\s*([^]*)$/.exec(body);
  if (!m) return { ok: false, message: `bad tag "{${body}}"`, hint: 'the only tag is {request=NAME}; quote a name that holds "," or "}": {request="GET /api/ratings/{id}"}' };
  const value = m[1]!;
  if (value.startsWith('"')) return quoted(value);
  const name = value.trim();
  if (name === '') return { ok: false, message: 'no request name', hint: 'write {request=NAME}' };
  if (/[,}]/.test(name)) {
    return { ok: false, message: `request name "${name}" holds "${/,/.test(name) ? ',' : '}'}" and is not quoted`, hint: `quote it: ${formatRequestTag(name)}`, unquoted: name };
  }
  return { ok: true, request: name };
}

/** A quoted name: `\"` and `\\` are the only escapes; after the closing quote only blanks may follow. */
function quoted(value: string): TagParse {
  let name = '';
  for (let i = 1; i < value.length; i++) {
    const c = value[i]!;
    if (c === '"') {
      if (value.slice(i + 1).trim() !== '') return { ok: false, message: 'text after the quoted request name', hint: 'end the tag after the closing quote; inside quotes write \\" for "' };
      if (name === '') return { ok: false, message: 'empty request name', hint: 'write {request="NAME"}' };
      return { ok: true, request: name };
    }
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '"' && next !== '\\') return { ok: false, message: `unknown escape "\\${next ?? ''}"`, hint: 'inside quotes only \\" (a quote) and \\\\ (a backslash) are escapes' };
      name += next;
      i++;
    } else name += c;
  }
  return { ok: false, message: 'the quoted request name has no closing quote', hint: 'end it with ", and write \\" for a quote inside it' };
}
