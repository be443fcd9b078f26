import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-setup.ts', 'test/support/python-setup.ts', 'test/support/mariadb-setup.ts', 'test/support/tools-setup.ts', 'test/support/chromium-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    // expect.poll waits for real servers and a real browser: 1 s (vitest's default) is too short
    // for a policy compiled in a worker on a slow or busy machine.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 60_000,
    // Integration tests start servers and databases; keep the 2-core machine from thrashing.
    maxWorkers: 2,
  },
});
