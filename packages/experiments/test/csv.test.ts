import { csvTable } from '../src/csv';

/** A small RFC 4180 reader, independent of the writer: quoted fields, doubled quotes, line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  return rows;
}

describe('csvTable', () => {
  it('writes array rows in the header order with the same quoting and values, and equals a plain join when nothing needs quotes', () => {
    const rows = [
      ['graphon-pai/snip', 0, 1024, 0.1, true, null, undefined, 1e-7],
      ['acme/x,y', 1, 64, 0.05, false, '', 'exact', Number.NaN],
    ];
    const header = ['criterion', 'seed', 'width', 'density', 'holds', 'upper', 'kind', 'value'];
    const csv = csvTable(header, rows);
    expect(parseCsv(csv)).toEqual([
      header,
      ['graphon-pai/snip', '0', '1024', '0.1', 'true', '', '', '1e-7'],
      ['acme/x,y', '1', '64', '0.05', 'false', '', 'exact', 'NaN'],
    ]);
    const plain = rows.slice(0, 1);
    expect(csvTable(header, plain)).toBe(`${header.join(',')}\n${plain[0].join(',')}\n`);
  });

  it('quotes fields with commas, quotes and line breaks, and they read back unchanged', () => {
    const csv = csvTable(
      ['criterion', 'note', 'text', 'density'],
      [
        ['acme/x,y', 'say "hi"', 'two\nlines', 0.1],
        ['snip', '', 'plain', 1e-7],
      ],
    );
    expect(csv).toBe(
      'criterion,note,text,density\n"acme/x,y","say ""hi""","two\nlines",0.1\nsnip,,plain,1e-7\n',
    );
    expect(parseCsv(csv)).toEqual([
      ['criterion', 'note', 'text', 'density'],
      ['acme/x,y', 'say "hi"', 'two\nlines', '0.1'],
      ['snip', '', 'plain', '1e-7'],
    ]);
  });

  it('writes numbers in round-trip form and objects as JSON; no rows gives the header only', () => {
    const [, values] = parseCsv(csvTable(['a', 'e'], [[0.1 + 0.2, [1, 2]]]));
    expect(values).toEqual(['0.30000000000000004', '[1,2]']);
    expect(Number(values[0])).toBe(0.1 + 0.2);
    expect(csvTable(['x', 'y'], [])).toBe('x,y\n');
  });
});
