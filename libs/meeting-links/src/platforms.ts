import { parse as parseDomain } from 'tldts';

export type MeetingPlatform = 'zoom' | 'google_meet' | 'microsoft_teams';

export const MEETING_PLATFORMS: readonly MeetingPlatform[] = ['zoom', 'google_meet', 'microsoft_teams'];

/**
 * Which hostnames belong to a platform, keyed by REGISTRABLE domain (public-suffix aware, via
 * tldts). `hosts` lists the exact hostnames allowed under that domain; `anySubdomain` lets every
 * subdomain through (Zoom company/region subdomains such as `acme.zoom.us`, `us02web.zoom.us`).
 * Matching on the registrable domain first is what defeats `meet.google.com.evil.com`
 * (registrable domain `evil.com`) and `zoom.us.attacker.io`.
 */
interface DomainRule {
  readonly domain: string;
  readonly hosts: readonly string[];
  readonly anySubdomain: boolean;
}

const RULES: Record<MeetingPlatform, readonly DomainRule[]> = {
  zoom: [
    { domain: 'zoom.us', hosts: ['zoom.us'], anySubdomain: true },
    { domain: 'zoom.com', hosts: ['zoom.com'], anySubdomain: true },
    { domain: 'zoomgov.com', hosts: ['zoomgov.com'], anySubdomain: true },
  ],
  google_meet: [{ domain: 'google.com', hosts: ['meet.google.com'], anySubdomain: false }],
  microsoft_teams: [
    // Commercial cloud (plus regional subdomains Teams uses for tenants, e.g. `gov.teams.microsoft.com`).
    { domain: 'microsoft.com', hosts: ['teams.microsoft.com'], anySubdomain: false },
    // Teams free / personal.
    { domain: 'live.com', hosts: ['teams.live.com'], anySubdomain: false },
    // The 2025-26 domain move (MC1162275).
    { domain: 'cloud.microsoft', hosts: ['teams.cloud.microsoft'], anySubdomain: false },
    // GCC High / DoD.
    { domain: 'microsoft.us', hosts: ['teams.microsoft.us', 'gov.teams.microsoft.us', 'dod.teams.microsoft.us'], anySubdomain: false },
  ],
};

/** Subdomains of the exact Teams hosts (e.g. `gov.teams.microsoft.com`) are Teams too. */
const TEAMS_SUBDOMAIN_PARENTS = ['teams.microsoft.com', 'teams.microsoft.us'];

/** Registrable domain of a hostname, or null for IPs, bare suffixes and garbage. */
export function registrableDomain(hostname: string): string | null {
  const info = parseDomain(hostname, { allowPrivateDomains: false });
  if (info.isIp || !info.domain) return null;
  return info.domain;
}

/** The platform a hostname belongs to, decided by registrable domain, never by substring. */
export function platformOfHost(hostname: string): MeetingPlatform | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const domain = registrableDomain(host);
  if (!domain) return null;
  for (const platform of MEETING_PLATFORMS) {
    for (const rule of RULES[platform]) {
      if (rule.domain !== domain) continue;
      if (rule.hosts.includes(host)) return platform;
      if (rule.anySubdomain && host.endsWith(`.${rule.domain}`)) return platform;
      if (platform === 'microsoft_teams' && TEAMS_SUBDOMAIN_PARENTS.some((p) => host.endsWith(`.${p}`))) {
        return platform;
      }
    }
  }
  return null;
}

/**
 * Host patterns a bot for `platform` may navigate to (`*.` = any subdomain). Bots use this (or
 * `isAllowedPlatformUrl`) to refuse navigations and redirects outside the platform.
 */
export function platformHosts(platform: MeetingPlatform): string[] {
  const out: string[] = [];
  for (const rule of RULES[platform]) {
    out.push(...rule.hosts);
    if (rule.anySubdomain) out.push(`*.${rule.domain}`);
  }
  if (platform === 'microsoft_teams') out.push(...TEAMS_SUBDOMAIN_PARENTS.map((p) => `*.${p}`));
  return out;
}

/**
 * True when `url` is an https URL on one of the platform's hosts, with no credentials and no
 * non-default port. Anything unparsable is refused.
 */
export function isAllowedPlatformUrl(platform: MeetingPlatform, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password || parsed.port) return false;
  return platformOfHost(parsed.hostname) === platform;
}
