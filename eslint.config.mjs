// Lint rules for every project. Dependency direction (house rule 3) is enforced here:
// @paymnt/client imports nothing of ours and no Nest; packages never import their own barrel.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const own = (name) => ({ group: [name, `${name}/*`], message: 'Import siblings by relative path, never the package barrel.' });

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-warning-comments': ['error', { terms: ['todo', 'fixme', 'xxx'], location: 'start' }],
    },
  },
  {
    files: ['packages/client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@nestjs/*', '@paymnt/*'], message: '@paymnt/client is framework-free and imports nothing of ours.' },
      ] }],
    },
  },
  {
    files: ['packages/sandbox/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        own('@paymnt/sandbox'),
        { group: ['@nestjs/*', '@paymnt/nestjs'], message: '@paymnt/sandbox depends only on @paymnt/client.' },
      ] }],
    },
  },
  {
    files: ['packages/nestjs/src/**/*.ts'],
    ignores: ['packages/nestjs/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        own('@paymnt/nestjs'),
        { group: ['@paymnt/sandbox'], message: 'Only the testing entry of @paymnt/nestjs may use the sandbox.' },
      ] }],
    },
  },
);
