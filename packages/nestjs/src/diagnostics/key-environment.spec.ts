import { apiKindOf, checkKeyEnvironment, keyKindOf } from './key-environment';

describe('key kind vs environment', () => {
  const SANDBOX = 'https://sandbox.paymnt.cloud';
  const PRODUCTION = 'https://api.paymnt.cloud';
  const SECRET = 'a1b2c3d4e5f6';

  it('classifies keys by prefix and URLs by host', () => {
    expect([keyKindOf('pk_snd_x'), keyKindOf('prd_x'), keyKindOf('snd_x'), keyKindOf('dev_x'), keyKindOf('x')]).toEqual(['publishable', 'production', 'sandbox', 'sandbox', 'unknown']);
    expect([apiKindOf(SANDBOX), apiKindOf(PRODUCTION), apiKindOf('http://127.0.0.1:4010'), apiKindOf('https://payments.example.com')]).toEqual([
      'sandbox',
      'production',
      'local',
      'unknown',
    ]);
  });

  it('passes a sandbox key on the sandbox or a local emulator, and a production key on production', () => {
    expect(checkKeyEnvironment(`snd_${SECRET}`, SANDBOX)).toBeUndefined();
    expect(checkKeyEnvironment(`snd_${SECRET}`, 'http://127.0.0.1:4010')).toBeUndefined();
    expect(checkKeyEnvironment(`prd_${SECRET}`, PRODUCTION)).toBeUndefined();
  });

  it('fails on a publishable key, a sandbox key against production, a production key against the sandbox; never prints the key', () => {
    const findings = [
      checkKeyEnvironment(`pk_snd_${SECRET}`, SANDBOX),
      checkKeyEnvironment(`snd_${SECRET}`, PRODUCTION),
      checkKeyEnvironment(`prd_${SECRET}`, SANDBOX),
      checkKeyEnvironment(`prd_${SECRET}`, 'http://localhost:4010'),
    ];
    for (const finding of findings) {
      expect(finding?.level).toBe('fail');
      expect(finding?.message).not.toContain(SECRET);
    }
    expect(findings[0]?.message).toContain('publishable');
    expect(findings[1]?.message).toContain('api.paymnt.cloud');
  });

  it('warns when it cannot tell: an unknown prefix or an unknown host', () => {
    expect(checkKeyEnvironment(SECRET, SANDBOX)).toMatchObject({ level: 'warn' });
    expect(checkKeyEnvironment(`prd_${SECRET}`, 'https://payments-proxy.example.com')).toMatchObject({ level: 'warn' });
    expect(checkKeyEnvironment(SECRET, SANDBOX)?.message).not.toContain(SECRET);
  });
});
