// The served UI's CSP lets media load from the demo simulator's loopback origin (its stream URLs)
// in demo mode only; live mode's policy admits no http origin at all.
import { afterAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/core/host/static-files.ts';
import { startDemoServe, type DemoServe } from '../helpers/demo-serve.ts';

let demo: DemoServe | undefined;
afterAll(async () => demo?.close());

const directive = (policy: string, name: string) =>
  policy.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

describe('media CSP for stream URLs', () => {
  it('names the simulator origin for media in demo mode, and nothing http in live mode', async () => {
    demo = await startDemoServe('stemhook-demo-csp-');
    const page = await fetch(demo.host.api.uiUrl);
    const policy = page.headers.get('content-security-policy') ?? '';
    const simulatorOrigin = new URL(demo.host.core.simulator?.apiUrl ?? 'http://missing').origin;
    expect(directive(policy, 'media-src').split(' ')).toContain(simulatorOrigin);
    expect(policy.replace(directive(policy, 'media-src'), '')).not.toMatch(/http:/);
    expect(contentSecurityPolicy(null)).not.toMatch(/http:/);
  });
});
