import { isFreeOfPrototypeKeys, parseJsonWithoutPrototypeKeys } from './parse-webhook-json';

describe('isFreeOfPrototypeKeys', () => {
  it('accepts plain parsed JSON, a constructor key without a prototype included', () => {
    expect(isFreeOfPrototypeKeys(JSON.parse('{"a":[1,{"b":"__proto__"}],"constructor":{"name":"x"},"c":null}'))).toBe(true);
    expect(isFreeOfPrototypeKeys(JSON.parse('[1,"x",[true]]'))).toBe(true);
  });

  it.each([
    ['a __proto__ key', '{"a":{"__proto__":{"polluted":true}}}'],
    ['an escaped __proto__ key', '{"a":[{"\\u005f_proto__":{"polluted":true}}]}'],
    ['a constructor key holding a prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
  ])('refuses %s, at any depth', (_name, json) => {
    expect(isFreeOfPrototypeKeys(JSON.parse(json))).toBe(false);
    expect(isFreeOfPrototypeKeys(parseJsonWithoutPrototypeKeys(json))).toBe(true);
  });

  it('refuses an object whose prototype a parser already set', () => {
    expect(isFreeOfPrototypeKeys({ a: Object.create({ polluted: true }) })).toBe(false);
    expect(isFreeOfPrototypeKeys({ a: Object.create(null) })).toBe(false);
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    const depth = 200_000;
    expect(isFreeOfPrototypeKeys(JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`))).toBe(true);
  });
});
