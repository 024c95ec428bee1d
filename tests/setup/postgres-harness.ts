import { afterAll } from 'vitest';
import { dropSharedTestDatabase } from './postgres-database.ts';

// A test file whose harness ran on PostgreSQL leaves its database behind it; it goes here.
afterAll(() => dropSharedTestDatabase());
