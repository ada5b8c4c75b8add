// `npm start`'s up-front check for a Chromium sandbox that cannot start, on every kind of Linux
// machine (the facts are passed in; this machine has only one of them).
import { describe, expect, it } from 'vitest';
import { sandboxProblem, type MachineFacts } from '../../electron/bin/sandbox-check.ts';

const BINARY = '/app/node_modules/electron/dist/electron';
const HELPER = '/app/node_modules/electron/dist/chrome-sandbox';

function facts(overrides: Partial<MachineFacts> & { proc?: Record<string, string> }): MachineFacts {
  const proc = overrides.proc ?? {};
  return {
    binary: BINARY,
    platform: 'linux',
    uid: 1000,
    readText: (path) => proc[path] ?? null,
    stat: () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    },
    ...overrides,
  };
}

const UBUNTU_RESTRICTED = { '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '1' };

describe('sandboxProblem', () => {
  it('is silent off Linux and on an unrestricted Linux', () => {
    expect(sandboxProblem(facts({ platform: 'darwin', uid: 0 }))).toBeNull();
    expect(sandboxProblem(facts({}))).toBeNull();
    expect(
      sandboxProblem(facts({ proc: { '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '0' } })),
    ).toBeNull();
  });

  it('refuses root with the way out', () => {
    expect(sandboxProblem(facts({ uid: 0 }))).toMatch(/will not run as root.*as your normal user/);
  });

  it('Ubuntu 23.10+ without a setuid helper: names the helper and the fix', () => {
    const problem = sandboxProblem(facts({ proc: UBUNTU_RESTRICTED }));
    expect(problem).toContain(`${HELPER} is not setuid root`);
    expect(problem).toContain(`sudo chown root:root "${HELPER}" && sudo chmod 4755 "${HELPER}"`);
    const notSetuid = facts({ proc: UBUNTU_RESTRICTED, stat: () => ({ uid: 0, mode: 0o100755 }) });
    expect(sandboxProblem(notSetuid)).toContain('is not setuid root');
    const notRootOwned = facts({ proc: UBUNTU_RESTRICTED, stat: () => ({ uid: 1000, mode: 0o104755 }) });
    expect(sandboxProblem(notRootOwned)).toContain('is not setuid root');
  });

  it('Ubuntu 23.10+ with a setuid-root helper, or an old Debian kernel switch: as it should be', () => {
    expect(
      sandboxProblem(facts({ proc: UBUNTU_RESTRICTED, stat: () => ({ uid: 0, mode: 0o104755 }) })),
    ).toBeNull();
    expect(sandboxProblem(facts({ proc: { '/proc/sys/kernel/unprivileged_userns_clone': '0' } }))).toMatch(
      /restricts unprivileged user namespaces/,
    );
  });
});
