import { jsonDepth } from './shop-validation.pipe';

describe('jsonDepth', () => {
  it('measures objects and arrays, not scalars', () => {
    expect(jsonDepth(3)).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ items: [{ name: 'mug' }] })).toBe(3);
    expect(jsonDepth([1, [2, [3]], { a: { b: {} } }])).toBe(4);
  });

  it('walks 100,000 levels without recursion, and stops early past the limit', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDepth(deep)).toBe(100_001);
    expect(jsonDepth(deep, 5)).toBe(6);
  });
});
