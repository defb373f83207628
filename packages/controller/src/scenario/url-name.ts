/**
 * The name of a scenario made from a bare URL (`novaload init URL`,
 * `novaload breakpoint URL`): its host and port, as report file names spell
 * them, so two services' reports and breakpoint histories stay apart.
 */
/** E.g. "api-example-com", "127-0-0-1-8080", "ipv6-1": two services on one host differ. */
export function nameForUrl(url: URL): string {
  const host = url.hostname.startsWith('[') ? `ipv6${url.hostname}` : url.hostname;
  return `${host}${url.port === '' ? '' : `-${url.port}`}`.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-+|-+$/g, '') || 'starter';
}
