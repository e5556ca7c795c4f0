// The export formats and cursor, cell by cell: RFC 4180 quoting, formula defusing, nulls,
// personal columns left empty for non-admins, and the cursor's round trip and refusals.
import { decodeExportCursor, encodeExportCursor } from '../../src/export/cursor';
import type { ExportColumn } from '../../src/export/declaration';
import { csvCell, rowWriter } from '../../src/export/formats';
import { parseExportQuery } from '../../src/export/params';
import { BadInputError } from '../../src/errors';

interface Row {
  id: string;
  name: string | null;
  score: number | null;
  at: Date | null;
  tags: string[];
}

const COLUMNS: ExportColumn<Row>[] = [
  { name: 'id', kind: 'id' },
  { name: 'name', kind: 'text', personal: true },
  { name: 'score', kind: 'number' },
  { name: 'at', kind: 'time' },
  { name: 'tags', kind: 'list' },
];

const ROW: Row = {
  id: '21070000000000001',
  name: 'Zoë, "Z"',
  score: -2.5,
  at: new Date('2026-01-02T03:04:05.006+01:00'),
  tags: ['a'],
};

describe('export formats', () => {
  it('quotes CSV cells with a comma, quote, CR or LF, doubling quotes', () => {
    expect(csvCell('plain', 'text')).toBe('plain');
    expect(csvCell('a,b', 'text')).toBe('"a,b"');
    expect(csvCell('say "hi"', 'text')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines', 'text')).toBe('"two\nlines"');
    expect(csvCell('cr\r', 'text')).toBe('"cr\r"');
    expect(csvCell(null, 'text')).toBe('');
    expect(csvCell('', 'text')).toBe('');
  });

  it('prefixes text cells that a spreadsheet would run as a formula, and only those', () => {
    for (const start of ['=', '+', '-', '@', '\t']) expect(csvCell(`${start}1+1`, 'text')).toMatch(/^"?'/);
    expect(csvCell('=A1,B1', 'text')).toBe(`"'=A1,B1"`);
    expect(csvCell('a=b', 'text')).toBe('a=b');
    expect(csvCell(-3, 'number')).toBe('-3');
  });

  it('writes NDJSON and CSV rows with every column, personal ones empty when hidden', () => {
    const admin = rowWriter('ndjson', COLUMNS, () => false);
    expect(JSON.parse(admin.row(ROW))).toEqual({
      id: '21070000000000001',
      name: 'Zoë, "Z"',
      score: -2.5,
      at: '2026-01-02T02:04:05.006Z',
      tags: ['a'],
    });
    const reader = rowWriter('ndjson', COLUMNS, (c) => Boolean(c.personal));
    expect(JSON.parse(reader.row(ROW))).toMatchObject({ name: null });
    const csv = rowWriter('csv', COLUMNS, (c) => Boolean(c.personal));
    expect(csv.header).toBe('id,name,score,at,tags\r\n');
    expect(csv.row(ROW)).toBe('21070000000000001,,-2.5,2026-01-02T02:04:05.006Z,"[""a""]"\r\n');
    expect(rowWriter('csv', COLUMNS, () => false).row({ ...ROW, score: null, at: null })).toBe(
      '21070000000000001,"Zoë, ""Z""",,,"[""a""]"\r\n',
    );
  });
});

describe('export cursor and parameters', () => {
  it('round-trips a cursor and refuses anything else, naming since', () => {
    expect(decodeExportCursor(encodeExportCursor('9223372036854775807'))).toBe('9223372036854775807');
    expect(decodeExportCursor('0')).toBe('0');
    for (const bad of ['', 'x', encodeExportCursor('9223372036854775808'), encodeExportCursor('-1'), 'a'.repeat(300)]) {
      expect(() => decodeExportCursor(bad)).toThrow(BadInputError);
      expect(() => decodeExportCursor(bad)).toThrow(/^since: /);
    }
  });

  it('reads list parameters repeated or comma-separated, and a + that arrived as a space', () => {
    const { params, since } = parseExportQuery(
      new URLSearchParams('states=b,a&states=c&at=2026-01-01T00:00:00+02:00&id=007'),
      { states: 'strings', at: 'time', id: 'id' },
    );
    expect(since).toBeNull();
    expect(params).toEqual({ states: ['a', 'b', 'c'], at: new Date('2025-12-31T22:00:00.000Z'), id: '7' });
  });
});
