import { inject, test, expect } from 'vitest';
test('infra', () => { expect(inject('infra').postgres.url).toContain('postgres'); });
