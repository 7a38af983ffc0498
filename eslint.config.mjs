import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';

// Nx tags keep the arrows one way: app → feature → data-access/ui/domain → contracts/util.
// `iso` libs (contracts, crypto, exam-domain) import no framework, no Node and no React.
const frameworkImports = ['@nestjs/*', 'typeorm', 'pg', '@electric-sql/*', 'express', 'socket.io', 'react', 'react-dom', 'node:*', 'fs', 'path', 'crypto', 'os', 'zlib', 'http', 'https', 'net'];
const serverOnly = ['@nestjs/*', 'typeorm', 'pg', '@electric-sql/*', 'express', 'socket.io', 'node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/var', '**/vite.config.*.timestamp*', '**/.nx', 'tmp', '**/jest.config.cjs', 'jest.preset.cjs', 'jest.paths.cjs'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // layers
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:ui', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:testing', 'type:feature', 'type:data-access', 'type:domain', 'type:contracts', 'type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:feature', 'type:data-access', 'type:contracts', 'type:util', 'type:domain'] },
            // scopes: the province, the venue and the exam machine share only `shared`
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:provincial', onlyDependOnLibsWithTags: ['scope:provincial', 'scope:shared'] },
            { sourceTag: 'scope:venue', onlyDependOnLibsWithTags: ['scope:venue', 'scope:shared'] },
            { sourceTag: 'scope:candidate', onlyDependOnLibsWithTags: ['scope:candidate', 'scope:shared'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:provincial', 'scope:venue', 'scope:shared'] },
            // platforms
            { sourceTag: 'platform:iso', onlyDependOnLibsWithTags: ['platform:iso'], bannedExternalImports: frameworkImports },
            { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser', 'platform:iso'], bannedExternalImports: serverOnly },
            { sourceTag: 'platform:node', onlyDependOnLibsWithTags: ['platform:node', 'platform:iso'], bannedExternalImports: ['react', 'react-dom'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
];
