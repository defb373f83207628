/**
 * Which hosts load may go to: cloud metadata endpoints are never a target
 * unless named explicitly in an allow-list. Shared by scenario validation
 * (controller) and plan checks (remote agents).
 */

/** Instance-metadata endpoints of the common clouds (AWS, GCP, Azure, Alibaba, ECS task metadata). */
export const METADATA_HOSTS = ['169.254.169.254', 'fd00:ec2::254', 'metadata.google.internal', 'metadata.goog', '100.100.100.200', '169.254.170.2'];

/** The host of an http(s) URL as written in allow-lists: no brackets, lower case. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Whether `host` is a cloud metadata address (any 169.254.x.x link-local address counts). */
export function isMetadataHost(host: string): boolean {
  return METADATA_HOSTS.includes(host) || /^169\.254\.\d+\.\d+$/.test(host);
}
