/**
 * The console in a real Chromium against a real `kss serve` on a SQLite data directory: sign in,
 * read the overview, load a broken policy, clear a quota, read and verify the audit log, run the
 * simulator, disable and enable, compare two policy versions. Each page is screenshotted into test-artifacts/console/.
 * The tests run in order and share one session (signing in once, as an administrator would).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminGet, decide, openSession, POLICY, PROFILE, shot, type Session } from './session.js';

let s: Session;

beforeAll(async () => {
  s = await openSession();
  // Three decisions for one profile: two approved, the third over per_hour 2.
  for (let i = 0; i < 3; i++) await decide(s);
}, 60_000);

afterAll(async () => {
  await s?.close();
});

const page = () => s.page;

describe('console in a browser', () => {
  it('is served with a strict content security policy', async () => {
    const res = await fetch(`${s.server.url}/console/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('refuses a client token with a clear message', async () => {
    await page().goto(`${s.server.url}/console`);
    await page().getByLabel('Admin token').fill(s.client);
    await page().getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page().getByRole('alert').textContent()).toContain('this is a client token');
    await shot(page(), 'sign-in');
  });

  it('signs in with the admin token (keyboard only) and shows the id and policy version', async () => {
    await page().getByLabel('Admin token').fill(s.admin);
    await page().getByLabel('Admin token').press('Enter');
    const status = (await (await fetch(`${s.server.url}/v1/status`)).json()) as { keyserver_id: string };
    await expect.poll(() => page().getByTestId('keyserver-id').textContent()).toBe(status.keyserver_id);
    expect(await page().getByTestId('policy-version').textContent()).toMatch(/^version 1 [0-9a-f]{12}$/);
    expect(await page().getByTestId('enabled').textContent()).toBe('enabled');
    await expect.poll(() => page().getByRole('table').first().textContent()).toContain('Online');
    // The token is not in the URL, and nothing went to storage.
    expect(page().url()).not.toContain(s.admin);
    expect(await page().evaluate('localStorage.length + sessionStorage.length + document.cookie.length')).toBe(0);
    // Renames while the chart reads /metrics (every 2 s): three approved for one denied.
    const searches = setInterval(() => {
      for (const meta of ['public/a', 'public/b', 'public/c', 'secret/d']) void decide(s, PROFILE, 'rename', meta);
    }, 250);
    try {
      await expect.poll(() => page().locator('figcaption').nth(1).textContent(), { timeout: 15_000 }).toBe('Approval rate: 75%');
      await expect.poll(() => page().locator('.chart polyline').first().getAttribute('points'), { timeout: 15_000 }).toMatch(/^\S+ \S+ \S+/);
    } finally {
      clearInterval(searches);
    }
    expect(await page().locator('figcaption').first().textContent()).toMatch(/^Decisions per second: [1-9]\d*\.\d$/);
    await shot(page(), 'overview');
  });

  it('shows the active policy highlighted, and the diagnostics of a broken one inline', async () => {
    await page().getByRole('link', { name: 'Policy' }).click();
    const active = page().getByLabel('Active policy source');
    await expect.poll(() => active.locator('.t-key').first().textContent()).toBe('rename');
    expect(await active.locator('.t-key').allTextContents()).toContain('decrypt');
    await page().getByLabel('New policy (keyserver.yml)').fill('decrypt:\n  - - rule: meta-rule\n      pathz: [/public]\n');
    await page().getByRole('button', { name: 'Check and load' }).click();
    await expect.poll(() => page().getByRole('alert').textContent()).toContain('the policy has errors and was not loaded');
    const diagnostic = page().getByRole('list', { name: 'Diagnostics' }).getByRole('listitem').first();
    expect(await diagnostic.textContent()).toMatch(/^line \d+, column \d+: error KSS\d{4} /);
    expect(await page().getByRole('list', { name: 'Diagnostics' }).textContent()).toContain('pathz');
    expect(await page().locator('.source .line.marked').count()).toBeGreaterThan(0);
    expect((await adminGet(s, '/v1/policies')).versions).toHaveLength(1);
    await shot(page(), 'policy');
  });

  it('lists who is at quota, filters, and clears one profile after a confirmation', async () => {
    await decide(s, 'ffeeddccbbaa99887766554433221100');
    await page().getByRole('link', { name: 'Quotas' }).click();
    const table = page().getByRole('table', { name: 'Quota counters' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await page().getByLabel('only at quota').check();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').textContent()).toContain(PROFILE);
    await shot(page(), 'quotas');
    await page().getByRole('button', { name: `Clear quota of ${PROFILE}` }).click();
    const dialog = page().getByRole('dialog');
    expect(await dialog.textContent()).toContain(`Clear every quota counter of profile ${PROFILE}?`);
    await dialog.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page().getByRole('status').textContent()).toBe(`cleared 1 counter of profile ${PROFILE}`);
    const left = (await adminGet(s, '/v1/quota')).entries as Array<{ profile_id: string }>;
    expect(left.map((e) => e.profile_id)).toEqual(['ffeeddccbbaa99887766554433221100']);
    expect((await decide(s)).body.approved).toBe(true);
  });

  it('cancelling the confirmation clears nothing', async () => {
    await page().getByLabel('only at quota').uncheck();
    await page().getByRole('button', { name: 'Clear quota of ffeeddccbbaa99887766554433221100' }).click();
    await page().getByRole('dialog').waitFor();
    await page().keyboard.press('Escape');
    await expect.poll(() => page().getByRole('dialog').count()).toBe(0);
    expect((await adminGet(s, '/v1/quota')).entries).toHaveLength(2);
  });

  it('shows recent decisions, filters by profile and verifies the chain', async () => {
    await page().getByRole('link', { name: 'Audit' }).click();
    const table = page().getByRole('table', { name: 'Audit entries' });
    await expect.poll(() => table.textContent()).toContain('decrypt denied');
    expect(await table.textContent()).toContain('quota.clear');
    await page().getByLabel('Profile id').fill('not-hex');
    await page().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page().getByRole('alert').textContent()).toContain('32 hex digits');
    await page().getByLabel('Profile id').fill('ffeeddccbbaa99887766554433221100');
    await page().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await table.textContent()).toContain('decrypt approved by rule set 0');
    expect(await page().getByRole('alert').count()).toBe(0);
    await page().getByLabel('Profile id').fill('');
    await page().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(1);
    await page().getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page().getByRole('status').textContent()).toMatch(/^audit chain ok: \d+ entries verified$/);
    await shot(page(), 'audit', false);
  });

  it('explains a request rule set by rule set without recording it', async () => {
    const before = (await adminGet(s, '/v1/audit?limit=1')).entries[0].seq;
    await page().getByRole('link', { name: 'Simulator' }).click();
    await page().getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page().getByTestId('verdict').textContent()).toBe('Approved by rule set 0');
    const set = page().getByRole('table', { name: 'Rule set 0' });
    expect(await set.textContent()).toContain('public-hourly');
    await page().getByLabel('Request (JSON, as sent to POST /v1/requests)').fill('{"request_type": "decrypt", "auth_meta": [{"meta": "secret/x", "complete": true}]}');
    await page().getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page().getByTestId('verdict').textContent()).toBe('Denied');
    expect(await page().getByRole('table', { name: 'Rule set 0' }).textContent()).toContain('FAIL');
    await page().getByLabel('Request (JSON, as sent to POST /v1/requests)').fill('{not json');
    await page().getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page().getByRole('alert').textContent()).toContain('not valid JSON');
    expect((await adminGet(s, '/v1/audit?limit=1')).entries[0].seq).toBe(before);
    await page().getByLabel('Request (JSON, as sent to POST /v1/requests)').fill('{"request_type": "decrypt", "profile": {"profile_id": "ffeeddccbbaa99887766554433221100"}, "auth_meta": [{"meta": "public/a.pdf", "complete": true}]}');
    await page().getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page().getByTestId('verdict').textContent()).toBe('Approved by rule set 0');
    await shot(page(), 'simulator');
  });

  it('disables and enables the keyserver after a confirmation', async () => {
    await page().getByRole('link', { name: 'Overview' }).click();
    await page().getByRole('button', { name: 'Disable keyserver' }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => page().getByTestId('enabled').textContent()).toBe('disabled');
    expect((await decide(s)).status).toBe(503);
    await shot(page(), 'overview-disabled');
    await page().getByRole('button', { name: 'Enable keyserver' }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => page().getByTestId('enabled').textContent()).toBe('enabled');
    expect((await decide(s)).status).toBe(200);
  });

  it('loads a second version and shows what it decides differently, with a witness, and the source line diff', async () => {
    await page().getByRole('link', { name: 'Policy' }).click();
    await page().getByLabel('New policy (keyserver.yml)').fill(POLICY.replace('paths: [/public]', 'paths: [/public, /shared]'));
    await page().getByRole('button', { name: 'Check and load' }).click();
    await expect.poll(() => page().getByTestId('active-version').textContent()).toMatch(/^version 2 /);
    // The active version against the one before it, picked by default; compared with the keyboard.
    // The version list is fetched after the load answers: wait for it, as for the summary below.
    await expect.poll(() => page().getByLabel('From version', { exact: true }).inputValue()).toBe('1');
    await expect.poll(() => page().getByLabel('To version', { exact: true }).inputValue()).toBe('2');
    await page().getByRole('button', { name: 'Compare' }).focus();
    await page().keyboard.press('Enter');
    await expect.poll(() => page().getByTestId('diff-summary').textContent()).toBe('1 change in rename');
    const change = page().getByRole('list', { name: 'Decision changes' }).getByRole('listitem').first();
    expect(await change.textContent()).toContain('rename: denied before, approved by rule set 0 after');
    const witness = JSON.parse((await change.getByRole('list', { name: 'Witness requests' }).locator('code').first().textContent())!);
    expect(witness).toMatchObject({ request_type: 'rename', auth_meta: [{ meta: expect.stringMatching(/^shared/) }] });
    // The witness decides as the page says: denied by version 1 was approved by version 2, the active one.
    expect((await decide(s, PROFILE, 'rename', witness.auth_meta[0].meta)).body.approved).toBe(true);
    const source = page().getByLabel('Source changes from version 1 to version 2');
    await expect.poll(() => source.locator('.line.removed').allTextContents()).toEqual([expect.stringContaining('paths: [/public]')]);
    expect(await source.locator('.line.added').allTextContents()).toEqual([expect.stringContaining('paths: [/public, /shared]')]);
    expect(await source.locator('.line.added .sr-only').textContent()).toBe('added 3: ');
    // Back to the same version on both sides: nothing changes.
    await page().getByLabel('From version', { exact: true }).selectOption('2');
    await page().getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page().getByTestId('diff-summary').textContent()).toBe('no change in decisions');
    await page().getByLabel('From version', { exact: true }).selectOption('1');
    await page().getByRole('button', { name: 'Compare' }).click();
    await expect.poll(() => page().getByTestId('diff-summary').textContent()).toBe('1 change in rename');
    await page().getByRole('region', { name: 'Compare versions' }).scrollIntoViewIfNeeded();
    await shot(page(), 'policy-diff', false);
  });

  it('logged no error in the page (a CSP violation would be one)', () => {
    // The refusals the tests asked for (403 for the client token, 400 for the broken policy) are logged as failed loads.
    expect(s.pageErrors.filter((e) => !e.startsWith('Failed to load resource: the server responded with a status of 4'))).toEqual([]);
  });
});
