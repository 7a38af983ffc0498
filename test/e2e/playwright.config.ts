import { defineConfig } from '@playwright/test';

/**
 * Browser tests of the candidate client and the proctor console against the real venue and
 * provincial servers (started per test file by src/support/harness.ts). Run from the workspace
 * root: `npx nx run e2e:test` (builds the two web apps first).
 */
export default defineConfig({
  testDir: './src',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  // In CI one retry of a failed file: a retried pass is reported as flaky in the output, never hidden.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    },
    trace: 'retain-on-failure',
  },
});
