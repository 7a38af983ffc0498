import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const fromRoot = (p: string) => fileURLToPath(new URL('../../' + p, import.meta.url));

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: {
      '@kaowu/contracts': fromRoot('libs/shared/contracts/src/index.ts'),
      '@kaowu/exam-domain': fromRoot('libs/shared/exam-domain/src/index.ts'),
      '@kaowu/ui': fromRoot('libs/shared/ui/src/index.ts'),
    },
  },
  // Two pages: the staff console, and the candidates' public ticket printing page (print.html).
  build: {
    outDir: fromRoot('dist/apps/provincial-console'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { main: fileURLToPath(new URL('index.html', import.meta.url)), print: fileURLToPath(new URL('print.html', import.meta.url)) } },
  },
  server: { port: 4320, host: '127.0.0.1', proxy: { '/api': 'http://127.0.0.1:3100' } },
  // antd renders slowly in jsdom on a busy machine: a generous limit, not a timing check
  test: { environment: 'jsdom', testTimeout: 30_000, include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['src/test-setup.ts'] },
});
