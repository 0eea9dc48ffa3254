// Lint: typescript-eslint's recommended rules, and the layer boundaries of ARCHITECTURE.md.
// Each layer lists what it may import; anything else (a lower layer importing a higher one, a
// domain importing api/ or app/, src/ importing tools/) fails `npm run lint`.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every layer of src/, and tools/, with what each may import besides itself. */
export const LAYERS = {
  platform: [],
  jobs: ['platform'],
  attribution: [],
  history: ['platform', 'attribution'],
  workspaces: ['platform', 'jobs', 'attribution', 'history'],
  access: ['platform', 'attribution', 'workspaces'],
  ledger: ['platform', 'attribution', 'history', 'workspaces'],
  salesforce: ['platform', 'jobs', 'attribution', 'history', 'workspaces'],
  conversations: ['platform', 'jobs', 'attribution', 'history', 'workspaces', 'access'],
  reporting: ['platform', 'attribution', 'history', 'ledger', 'workspaces'],
  scenarios: ['platform', 'attribution', 'history', 'ledger', 'workspaces'],
  // Saved views and the weekly digest: built on the reporting functions, sent by email.
  digest: ['platform', 'jobs', 'attribution', 'history', 'ledger', 'workspaces', 'access', 'reporting'],
  api: [
    'platform',
    'jobs',
    'attribution',
    'history',
    'workspaces',
    'access',
    'ledger',
    'salesforce',
    'conversations',
    'reporting',
    'scenarios',
    'digest',
  ],
  app: [
    'platform',
    'jobs',
    'attribution',
    'history',
    'workspaces',
    'access',
    'ledger',
    'salesforce',
    'conversations',
    'reporting',
    'scenarios',
    'digest',
    'api',
  ],
  // The Salesforce double reads the scenario file format (and what it is built on); nothing in src/ reads tools/.
  tools: ['scenarios', 'attribution', 'platform'],
};

const elements = Object.keys(LAYERS).map((type) => ({
  type,
  pattern: type === 'tools' ? 'tools/*' : `src/${type}`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'web/**', 'node_modules/**', 'coverage/**', 'drizzle/**', '.data/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'tools/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'import/resolver': { typescript: { project: ['tsconfig.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(LAYERS).map(([type, allowed]) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: [type, ...allowed] } } } },
          })),
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'tools/*/test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
