// Field bounds match the columns they feed: VARCHAR(n) counts characters as utf8mb4 does
// (an emoji is one), TEXT counts bytes, numbers are finite, INT is 32-bit, and an id list
// stored as JSON fits its TEXT column at the widest ids.
import {
  codePoints,
  decimal,
  ID_LIST_MAX,
  idList,
  integer,
  TEXT_MAX_BYTES,
  text,
  varchar,
} from '../../src/canvas/fields';
import { LosslessNumber } from '../../src/canvas/lossless-json';

describe('field bounds', () => {
  it('varchar(n) takes n characters of any script, emoji counted once', () => {
    expect(codePoints('😀é a')).toBe(4);
    expect(varchar(3).safeParse('😀😀😀').success).toBe(true);
    expect(varchar(3).safeParse('😀😀😀😀').success).toBe(false);
    expect(varchar(3).safeParse('abcd').error?.issues[0].message).toBe('is longer than 3 characters');
  });

  it('text takes 65,535 bytes of UTF-8, not characters', () => {
    expect(text.safeParse('a'.repeat(TEXT_MAX_BYTES)).success).toBe(true);
    expect(text.safeParse('é'.repeat(TEXT_MAX_BYTES / 2 + 1)).success).toBe(false);
  });

  it('decimal is finite; integer is 32-bit', () => {
    expect(decimal.safeParse(new LosslessNumber('1e400')).error?.issues[0].message).toMatch(/finite/);
    expect(decimal.safeParse('9'.repeat(400)).success).toBe(false);
    expect(decimal.safeParse(Number.MAX_VALUE).data).toBe(Number.MAX_VALUE);
    expect(integer.safeParse(2_147_483_647).success).toBe(true);
    expect(integer.safeParse(2_147_483_648).error?.issues[0].message).toMatch(/from -2147483648 to 2147483647/);
  });

  it('an id list fits its column as JSON even at 20-digit ids', () => {
    const widest = Array.from({ length: ID_LIST_MAX }, () => '9223372036854775807');
    expect(idList.safeParse(widest).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(widest.map((id) => `${id}0`.slice(0, 20))))).toBeLessThanOrEqual(
      TEXT_MAX_BYTES,
    );
    expect(idList.safeParse([...widest, '1']).success).toBe(false);
  });
});
