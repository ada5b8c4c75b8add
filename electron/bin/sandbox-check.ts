// Linux cases where Chromium's sandbox cannot start, which `npm start`'s probe (Electron run as
// plain Node) never sees: running as root, and unprivileged user namespaces restricted (Ubuntu
// 23.10+, hardened kernels) without a setuid-root chrome-sandbox helper to fall back on. The
// machine's facts are passed in, so every branch is testable on any machine.
import { dirname, join } from 'node:path';

export interface MachineFacts {
  binary: string;
  platform: NodeJS.Platform;
  uid: number | null;
  readText: (path: string) => string | null;
  stat: (path: string) => { uid: number; mode: number };
}

/** Why Electron cannot start here, with the fix, or null. */
export function sandboxProblem({ binary, platform, uid, readText, stat }: MachineFacts): string | null {
  if (platform !== 'linux') return null;
  if (uid === 0)
    return 'Chromium will not run as root with its sandbox on; run `npm start` as your normal user';
  const isRestricted =
    readText('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1' ||
    readText('/proc/sys/kernel/unprivileged_userns_clone') === '0';
  if (!isRestricted) return null;
  const helper = join(dirname(binary), 'chrome-sandbox');
  try {
    const info = stat(helper);
    if (info.uid === 0 && (info.mode & 0o4000) !== 0) return null;
  } catch {
    // no helper at all: same advice
  }
  return (
    `this system restricts unprivileged user namespaces and ${helper} is not setuid root ` +
    `(fix: sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}")`
  );
}
