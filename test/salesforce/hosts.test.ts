import { isSalesforceUrl, loginUrlFor } from '../../src/salesforce/hosts';

const policy = { extraOrigins: ['http://127.0.0.1:3001'] };

describe('Salesforce hosts', () => {
  it.each([
    'https://login.salesforce.com',
    'https://test.salesforce.com',
    'https://acme.my.salesforce.com',
    'https://acme--uat.sandbox.my.salesforce.com',
    'https://na139.salesforce.com',
    'https://acme.lightning.force.com',
    'https://acme.my.salesforce.mil',
    'http://127.0.0.1:3001',
  ])('trusts %s', (url) => expect(isSalesforceUrl(url, policy)).toBe(true));

  it.each([
    'https://salesforce.com.attacker.example',
    'https://attacker.example/?salesforce.com',
    'http://acme.my.salesforce.com',
    'https://acme.my.salesforce.com:8443',
    'https://user:pass@acme.my.salesforce.com',
    'https://notsalesforce.com',
    'http://127.0.0.1:3002',
    'not a url',
  ])('refuses %s', (url) => expect(isSalesforceUrl(url, policy)).toBe(false));

  it('turns a My Domain into its login URL and refuses other hosts', () => {
    expect(loginUrlFor({ environment: 'custom', domain: 'acme.my.salesforce.com' }, policy)).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(loginUrlFor({ environment: 'custom', domain: 'https://acme.my.salesforce.com/' }, policy)).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(() => loginUrlFor({ environment: 'custom', domain: 'acme.example.com' }, policy)).toThrow(
      /not a Salesforce host/,
    );
  });
});

import { sfAmount } from '../../src/salesforce/records';

describe('Salesforce amounts', () => {
  it('round JSON numbers and CSV text the same way, half away from zero', () => {
    expect([1.005, 0.285, 65000.5, -2.675, 100000].map(sfAmount)).toEqual([
      '1.01',
      '0.29',
      '65000.50',
      '-2.68',
      '100000.00',
    ]);
    expect(['1.005', '0.285', '65000.5', '-2.675', '100000'].map(sfAmount)).toEqual([
      '1.01',
      '0.29',
      '65000.50',
      '-2.68',
      '100000.00',
    ]);
    expect(sfAmount(1e21)).toBe('1000000000000000000000.00');
    expect(sfAmount(1e-7)).toBe('0.00');
    expect(sfAmount(null)).toBeNull();
  });
});
