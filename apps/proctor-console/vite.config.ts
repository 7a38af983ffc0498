import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const fromRoot = (p: string) => fileURLToPath(new URL('../../' + p, import.meta.url));

export default defineConfig({
  root: import.meta.dirname,
  base: '/proctor/',
  plugins: [react()],
  resolve: {
    alias: {
      '@kaowu/contracts': fromRoot('libs/shared/contracts/src/index.ts'),
      '@kaowu/exam-domain': fromRoot('libs/shared/exam-domain/src/index.ts'),
      '@kaowu/ui': fromRoot('libs/shared/ui/src/index.ts'),
    },
  },
  // One chunk of ~300 kB gzip (antd is most of it), served once over the venue LAN: no splitting needed.
  build: { outDir: fromRoot('dist/apps/proctor-console'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1200 },
  server: { port: 4310, host: '127.0.0.1' },
  test: { environment: 'jsdom', testTimeout: 20_000, include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['src/test-setup.ts'] },
});
