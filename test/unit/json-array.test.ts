// The splitter that lets a large JSON array be parsed element by element: it must cut
// exactly where a parser would, and give up (null) whenever it is not sure, so the
// whole-body parse reports the error as before.
import { splitJsonArray } from '../../src/ingest/json-array';

describe('splitJsonArray', () => {
  it('cuts at top-level commas only, whatever strings and nesting contain', () => {
    const elements = [
      '{"a":"x,]}[{","b":[1,2,{"c":"\\"]"}]}',
      ' {"q":"\\\\"} ',
      '\n[[],{}]\t',
      '"a string, with a comma"',
      '12',
    ];
    const text = ` [${elements.join(',')}] \n`;
    expect(splitJsonArray(text)).toEqual(elements);
    expect(splitJsonArray(text)!.map((e) => JSON.parse(e))).toEqual(JSON.parse(text));
  });

  it('gives up on what is not a complete, non-empty array', () => {
    for (const text of ['{"a":1}', '[]', '[ ]', '[1,]', '[,1]', '[1,,2]', '[1] x', '[1', '[{"a":[}]', '"[1]"', '']) {
      expect(splitJsonArray(text)).toBeNull();
    }
  });
});
