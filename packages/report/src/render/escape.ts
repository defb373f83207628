/**
 * Escaping for the markup renderers (HTML, JUnit XML, markdown). Scenario,
 * request and error names and paths come from users' files and servers: a
 * name like `</script><img onerror=…>` must show as text, never as markup.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Characters XML 1.0 does not allow at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text safe as HTML/XML content or as a quoted attribute value: the five
 * special characters become entities and characters XML forbids become U+FFFD,
 * so the JUnit file stays well-formed whatever a server answered.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(NOT_XML, '\uFFFD');
}

/**
 * JSON to embed in a `<script type="application/json">` block: `<`, `>`, `&`
 * and the JavaScript line separators are written as \u escapes, so no string
 * inside can close the element or start a comment; JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text for a cell of a GitHub-flavoured markdown table: characters that would
 * end the cell, start emphasis, a link or code, or HTML are backslash-escaped
 * or written as entities, line breaks become spaces and control characters U+FFFD.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => ENTITIES[c]!)
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(NOT_XML, '\uFFFD');
}
