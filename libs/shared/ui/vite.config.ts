import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const fromRoot = (p: string) => fileURLToPath(new URL('../../../' + p, import.meta.url));

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: {
    alias: {
      '@kaowu/contracts': fromRoot('libs/shared/contracts/src/index.ts'),
      '@kaowu/exam-domain': fromRoot('libs/shared/exam-domain/src/index.ts'),
    },
  },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], setupFiles: ['src/test-setup.ts'] },
});
