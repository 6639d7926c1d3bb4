/**
 * When distribution releases stop getting security updates, so that a report can warn about an
 * image built on one that no longer does.
 *
 * Source: endoflife.date (https://endoflife.date, repository endoflife-date/endoflife.date,
 * `products/<product>.md`) at commit a70eca337600e7d721dc48112c271f98661d208b (2026-08-22),
 * transcribed by hand. The date kept is the last one on which the distribution still publishes
 * security fixes free of charge, since that is what the advisories chartaudit matches can cover:
 *   - Debian: `eoes` (Debian LTS, run by the Debian project; its DLA fixes are in OSV's Debian data)
 *   - Ubuntu: `eol` (standard support; ESM needs an Ubuntu Pro subscription, and OSV keys it apart as `Ubuntu:Pro:…`)
 *   - RHEL: `eol` (end of maintenance; ELS is a paid add-on)
 *   - Alpine, AlmaLinux, Rocky Linux, CentOS, CentOS Stream, Fedora, Amazon Linux: `eol`
 * A release missing here (too new for the snapshot, or a distribution not listed) has no date: it
 * is never called end-of-life by guesswork.
 */

export const EOL_SOURCE = 'endoflife.date products/*.md at a70eca33 (2026-08-22)';

/** product → release cycle → last day of free security support (YYYY-MM-DD). */
const EOL: Record<string, Record<string, string>> = {
  debian: {
    '13': '2030-06-30', '12': '2028-06-30', '11': '2026-08-31', '10': '2024-06-30', '9': '2022-07-01',
    '8': '2020-06-30', '7': '2018-05-31', '6': '2016-02-29', '5': '2012-02-06', '4': '2010-02-15',
    '3.1': '2008-03-31', '3.0': '2006-06-30', '2.2': '2003-06-30', '2.1': '2000-10-30', '2.0': '1999-02-15',
  },
  ubuntu: {
    '26.04': '2031-04-30', '25.10': '2026-07-01', '25.04': '2026-01-17', '24.10': '2025-07-10', '24.04': '2029-05-31',
    '23.10': '2024-07-12', '23.04': '2024-01-20', '22.10': '2023-07-20', '22.04': '2027-04-01', '21.10': '2022-07-14',
    '21.04': '2022-01-20', '20.10': '2021-07-22', '20.04': '2025-05-31', '19.10': '2020-07-06', '19.04': '2020-01-23',
    '18.10': '2019-07-18', '18.04': '2023-05-31', '17.10': '2018-07-19', '17.04': '2018-01-13', '16.10': '2017-07-20',
    '16.04': '2021-04-02', '15.10': '2016-07-28', '15.04': '2016-02-04', '14.10': '2015-07-23', '14.04': '2019-04-02',
    '13.10': '2014-07-17', '13.04': '2014-01-27', '12.10': '2014-05-16', '12.04': '2017-04-28', '11.10': '2013-05-09',
    '11.04': '2012-10-28', '10.10': '2012-04-10', '10.04': '2013-05-09',
  },
  alpine: {
    '3.24': '2028-06-01', '3.23': '2027-11-01', '3.22': '2027-05-01', '3.21': '2026-11-01', '3.20': '2026-04-01',
    '3.19': '2025-11-01', '3.18': '2025-05-09', '3.17': '2024-11-22', '3.16': '2024-05-23', '3.15': '2023-11-01',
    '3.14': '2023-05-01', '3.13': '2022-11-01', '3.12': '2022-05-01', '3.11': '2021-11-01', '3.10': '2021-05-01',
    '3.9': '2020-11-01', '3.8': '2020-05-01', '3.7': '2019-11-01', '3.6': '2019-05-01', '3.5': '2018-11-01',
    '3.4': '2018-05-01', '3.3': '2017-11-01', '3.2': '2017-05-01', '3.1': '2016-11-01', '3.0': '2016-05-01',
  },
  almalinux: { '10': '2035-05-31', '9': '2032-05-31', '8': '2029-05-31' },
  rocky: { '10': '2035-05-31', '9': '2032-05-31', '8': '2029-05-31' },
  rhel: { '10': '2035-05-31', '9': '2032-05-31', '8': '2029-05-31', '7': '2024-06-30', '6': '2020-11-30', '5': '2017-03-31', '4': '2012-02-29' },
  centos: { '8': '2021-12-31', '7': '2024-06-30', '6': '2020-11-30', '5': '2017-03-31' },
  'centos-stream': { '10': '2030-05-31', '9': '2027-05-31', '8': '2024-05-31' },
  fedora: {
    '44': '2027-06-02', '43': '2026-12-09', '42': '2026-05-27', '41': '2025-12-15', '40': '2025-05-13', '39': '2024-11-26',
    '38': '2024-05-21', '37': '2023-12-05', '36': '2023-05-16', '35': '2022-12-13', '34': '2022-06-07', '33': '2021-11-30',
    '32': '2021-05-25', '31': '2020-11-24', '30': '2020-05-26', '29': '2019-11-26', '28': '2019-05-28', '27': '2018-11-30',
    '26': '2018-05-29', '25': '2017-12-12',
  },
  // Amazon Linux AMI releases (2010.11 … 2018.03) all ended together.
  amazon: { '2023': '2029-06-30', '2': '2026-06-30', '2018.03': '2023-12-31', '2017.09': '2023-12-31', '2017.03': '2023-12-31' },
};

/** The release cycle a table is keyed by: Debian, RHEL-likes and Fedora by major, Ubuntu and Alpine by major.minor. */
function cycleOf(product: string, release: string): string | undefined {
  const r = release.trim();
  switch (product) {
    case 'ubuntu':
    case 'alpine':
      return /^(\d+\.\d+)/.exec(r)?.[1];
    case 'amazon':
      return /^(\d{4}\.\d{2}|\d+)/.exec(r)?.[1];
    case 'debian': {
      // Debian numbered 1.1–3.1 with a minor part, 4 onwards by major only.
      const m = /^(\d+)(?:\.(\d+))?/.exec(r);
      if (!m) return undefined;
      return Number(m[1]) < 4 ? `${m[1]}.${m[2] ?? '0'}` : m[1];
    }
    default:
      return /^(\d+)/.exec(r)?.[1];
  }
}

/** The end-of-life date of a release, when the table knows it. `name` tells CentOS Stream from CentOS Linux. */
export function endOfLifeFor(os: { family: string; release: string; name?: string }): string | undefined {
  let product = os.family;
  if (product === 'centos' && /stream/i.test(os.name ?? '')) product = 'centos-stream';
  const table = EOL[product];
  if (!table) return undefined;
  const cycle = cycleOf(product, os.release);
  return cycle === undefined ? undefined : table[cycle];
}

/** Whether `today` (YYYY-MM-DD, or a Date read in UTC) is after the release's last supported day. */
export function isPastEndOfLife(os: { endOfLife?: string }, today: string | Date): boolean {
  if (!os.endOfLife || !/^\d{4}-\d{2}-\d{2}$/.test(os.endOfLife)) return false;
  const day = typeof today === 'string' ? today.slice(0, 10) : today.toISOString().slice(0, 10);
  return day > os.endOfLife;
}
