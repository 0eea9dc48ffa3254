import { defineConfig } from 'drizzle-kit';

// Only for generating migrations (`npm run db:generate`); the service applies them at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/db/schema/index.ts',
  out: './drizzle',
});
