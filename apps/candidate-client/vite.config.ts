import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const fromRoot = (p: string) => fileURLToPath(new URL('../../' + p, import.meta.url));

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@kaowu/contracts': fromRoot('libs/shared/contracts/src/index.ts'),
      '@kaowu/exam-domain': fromRoot('libs/shared/exam-domain/src/index.ts'),
      // exam-domain's answer-chain hashes with libsodium; the exam machine never calls it, and
      // the crypto modules are marked side-effect free below so the bundle leaves them out.
      '@kaowu/crypto': fromRoot('libs/shared/crypto/src/index.ts'),
      '@kaowu/ui': fromRoot('libs/shared/ui/src/index.ts'),
    },
  },
  build: {
    outDir: fromRoot('dist/apps/candidate-client'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { treeshake: { moduleSideEffects: (id) => !/libs\/shared\/crypto\/|libsodium/.test(id) } },
  },
  server: { port: 4300, host: '127.0.0.1' },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['src/test-setup.ts'] },
});
