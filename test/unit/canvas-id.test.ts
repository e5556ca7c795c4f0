// Canvas ids: 64-bit decimal strings, widened from local to global with a shard.
import fc from 'fast-check';
import {
  globalIdOnShard,
  idProblem,
  isLocalId,
  localIdOf,
  normalizeId,
  shardOf,
  toGlobalId,
} from '../../src/canvas/canvas-id';

const ROOT_ACCOUNT = '21070000000000001'; // shard 2107, as in the fixtures

describe('toGlobalId', () => {
  it('widens a local body id with the shard of the root account', () => {
    expect(toGlobalId('12345', ROOT_ACCOUNT)).toBe('21070000000012345');
    expect(toGlobalId('9987654', ROOT_ACCOUNT)).toBe('21070000009987654');
  });

  it('leaves an id that is already global as it is, whatever the shard source', () => {
    expect(toGlobalId('21070000000000565', '35000000000000001')).toBe('21070000000000565');
  });

  it('leaves a local id local when there is no shard to widen it with', () => {
    expect(toGlobalId('12345', undefined)).toBe('12345');
    expect(toGlobalId('12345', null)).toBe('12345');
  });

  it('keeps every digit of ids above 2^53', () => {
    const aboveDoubles = '9007199254740993'; // 2^53 + 1: a double would make it ...992
    expect(toGlobalId(aboveDoubles, ROOT_ACCOUNT)).toBe(aboveDoubles);
    expect(toGlobalId('9999999999999', '9223360000000000001')).toBe('9223369999999999999');
    expect(globalIdOnShard('565', 2107n)).toBe('21070000000000565');
  });

  it('is undone by localIdOf and shardOf for any shard and local id', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 900000n }),
        fc.bigInt({ min: 1n, max: 10n ** 13n - 1n }),
        (shard, local) => {
          const global = toGlobalId(local.toString(), globalIdOnShard('1', shard));
          expect(shardOf(global)).toBe(shard);
          expect(localIdOf(global)).toBe(local.toString());
          expect(isLocalId(global)).toBe(false);
          expect(isLocalId(local.toString())).toBe(true);
        },
      ),
    );
  });
});

describe('idProblem', () => {
  it('accepts decimal ids up to the largest signed 64-bit value', () => {
    expect(idProblem('1')).toBeNull();
    expect(idProblem('21070000000000565')).toBeNull();
    expect(idProblem('9223372036854775807')).toBeNull();
  });

  it('refuses an id one above the largest signed 64-bit value', () => {
    expect(idProblem('9223372036854775808')).toMatch(/larger than a 64-bit signed id/);
    expect(idProblem('99999999999999999999')).toMatch(/larger than a 64-bit signed id/);
  });

  it('refuses ids longer than 20 digits', () => {
    expect(idProblem('1'.repeat(21))).toMatch(/1 to 20 digits/);
    expect(idProblem('1234567890123456789012345')).toMatch(/1 to 20 digits/);
  });

  it.each(['', 'abc', '12a', '-5', '1.5', '1e5', ' 12', '１２'])('refuses %j, which is not a decimal id', (text) => {
    expect(idProblem(text)).toMatch(/decimal id/);
  });
});

describe('normalizeId', () => {
  it('drops leading zeros without losing digits', () => {
    expect(normalizeId('007')).toBe('7');
    expect(normalizeId('0021070000000000565')).toBe('21070000000000565');
  });
});
