// OAuth 1.0a signing against published vectors (RFC 5849 and the OAuth Core 1.0
// specification's Appendix A), and our own signer against our own verifier.
import {
  baseStringUri,
  hmacSha1Signature,
  normalizeParameters,
  parseFormEncoded,
  percentEncode,
  signaturesMatch,
  signatureBaseString,
  signLaunch,
} from '../../src/lti/oauth1';

describe('OAuth 1.0a signature base string (RFC 5849)', () => {
  // RFC 5849 §3.4.1.1: a POST with query, body and oauth_* parameters, some repeated.
  const rfcParameters = [
    ...parseFormEncoded('b5=%3D%253D&a3=a&c%40=&a2=r%20b'),
    ...parseFormEncoded('c2&a3=2+q'),
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
    ['oauth_signature', 'djosJKDKJSD8743243%2Fjdk33klY%3D'],
  ] as const;

  it('normalizes the parameters of the RFC 5849 example exactly as the RFC prints them', () => {
    expect(normalizeParameters(rfcParameters)).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&' +
        'oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('builds the base string of the RFC 5849 example exactly as the RFC prints it', () => {
    expect(
      signatureBaseString('POST', 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', rfcParameters),
    ).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26' +
        'c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26' +
        'oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('lower-cases scheme and host, drops default ports and the query, and keeps other ports (RFC 5849 §3.4.1.2)', () => {
    expect(baseStringUri('http://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
    expect(baseStringUri('HTTPS://Tool.Example.edu:443/lti/launch')).toBe('https://tool.example.edu/lti/launch');
  });

  it('percent-encodes everything but unreserved characters, including the ones encodeURIComponent leaves', () => {
    expect(percentEncode("a-._~ !*'()+&=/é😀")).toBe('a-._~%20%21%2A%27%28%29%2B%26%3D%2F%C3%A9%F0%9F%98%80');
  });
});

describe('HMAC-SHA1 signature (OAuth Core 1.0, Appendix A.5)', () => {
  // GET http://photos.example.net/photos?file=vacation.jpg&size=original
  const parameters = [
    ['file', 'vacation.jpg'],
    ['size', 'original'],
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_token', 'nnch734d00sl2jdk'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1191242096'],
    ['oauth_nonce', 'kllo9940pd9333jh'],
    ['oauth_version', '1.0'],
  ] as const;
  const base = signatureBaseString(
    'GET',
    'http://photos.example.net/photos?file=vacation.jpg&size=original',
    parameters,
  );

  it('builds the published base string', () => {
    expect(base).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26' +
        'oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26' +
        'oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
  });

  it('computes the published signature from the consumer and token secrets', () => {
    expect(hmacSha1Signature(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });
});

describe('our launch signer', () => {
  const url = 'https://tool.example.edu/lti/launch?tenant=a%20b';
  const signed = signLaunch(
    url,
    { lti_message_type: 'basic-lti-launch-request', context_title: 'Café ☕' },
    {
      consumerKey: 'key',
      consumerSecret: 'secret&with=odd chars',
      timestamp: 1700000000,
      nonce: 'n-1',
    },
  );
  const verify = (params: Record<string, string>, secret = 'secret&with=odd chars', at = url) =>
    signaturesMatch(
      hmacSha1Signature(
        signatureBaseString('POST', at, [...parseFormEncoded('tenant=a%20b'), ...Object.entries(params)]),
        secret,
      ),
      params.oauth_signature,
    );

  it('adds every oauth_* parameter a consumer sends', () => {
    expect(signed).toMatchObject({
      oauth_consumer_key: 'key',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '1700000000',
      oauth_nonce: 'n-1',
      oauth_version: '1.0',
      oauth_signature: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
    });
  });

  it('produces signatures the verifier accepts, query string included', () => {
    expect(verify(signed)).toBe(true);
  });

  it('produces signatures the verifier refuses once a parameter, the secret or the URL changes', () => {
    expect(verify({ ...signed, context_title: 'Cafe' })).toBe(false);
    expect(verify(signed, 'another secret')).toBe(false);
    expect(verify(signed, undefined, 'https://tool.example.edu/lti/other?tenant=a%20b')).toBe(false);
  });

  it('compares signatures of different lengths without throwing', () => {
    expect(signaturesMatch('abc', 'abcd')).toBe(false);
    expect(signaturesMatch('', '')).toBe(true);
  });
});
