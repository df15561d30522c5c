// Lint rules: STYLE.md habit 10 (strict TypeScript, no `any`, `import type`, `node:` prefix).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Line and file length (issue 14, STYLE.md habit 1 and "Density"), for the
 * tree as the formatter writes it (`npm run format`, width 120; `npm run
 * lint` checks both).
 */
const lineLength = 'error';
const fileLength = 'error';

const maxLen = {
  code: 120,
  tabWidth: 2,
  // The formatter cannot break these; long ones are wrapped by hand where they hurt (SQL, XML fixtures, the text
  // catalogue).
  ignoreUrls: true,
  ignoreStrings: true,
  ignoreTemplateLiterals: true,
  ignoreRegExpLiterals: true,
};
/** Lines of code, not counting blank lines and comments: a documented file is not penalised. */
const maxLines = (max) => [fileLength, { max, skipBlankLines: true, skipComments: true }];

const nodePrefix = {
  regex:
    '^(fs|path|crypto|http|https|os|url|util|stream|events|child_process|net|assert|timers|zlib|buffer|readline|worker_threads)(/.*)?$',
  message: 'Use the node: prefix for built-ins.',
};
/**
 * Development-only code (src/dev: outboxes, eID simulator and client, example
 * service) never loads in production: outside src/dev it is reached only by
 * `import()` behind a production check (app.ts, main.ts), which this rule
 * does not match. Type-only imports are erased and stay allowed.
 */
const devCode = {
  regex: '^(\\.{1,2}/)+(src/)?dev/',
  allowTypeImports: true,
  message: 'src/dev is development-only: load it with import() outside production.',
};

/**
 * SQL lives in repositories (issue 14, STYLE.md "Storage through repositories"): files named `*-repository.ts`, the
 * database plumbing in src/platform/db and the migrations. Anywhere else a string that reads like a statement is an
 * error, so a route or a flow cannot grow a query again.
 */
const sqlStatement = '/\\b(SELECT|INSERT INTO|DELETE FROM|UPDATE\\s+\\w+\\s+SET|ON CONFLICT|TRUNCATE)\\b/';
const sqlOutsideRepositories = {
  files: ['src/**/*.ts'],
  ignores: ['src/**/*-repository.ts', 'src/platform/db/**', '**/*.test.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      ...['TemplateElement[value.raw=', 'Literal[value='].map((node) => ({
        selector: `${node}${sqlStatement}]`,
        message: 'SQL belongs in a *-repository.ts file (STYLE.md "Storage through repositories").',
      })),
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-output/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        URLSearchParams: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [nodePrefix, devCode] }],
      'max-len': [lineLength, maxLen],
      'max-lines': maxLines(300),
    },
  },
  sqlOutsideRepositories,
  {
    // src/dev uses itself; tests drive the simulator and the outboxes directly.
    files: ['src/dev/**', 'test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [nodePrefix] }] },
  },
  {
    // Test files hold many cases of one subject; the limit is looser, not absent.
    files: ['test/**', '**/*.test.ts'],
    rules: { 'max-lines': maxLines(600) },
  },
);
