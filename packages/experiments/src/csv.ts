/**
 * CSV text from a header and rows of values, with the quoting of RFC 4180 (csv-stringify's sync API): a
 * field holding a comma, a double quote or a line break is quoted and its quotes doubled, so any label, path
 * or criterion id survives a round trip through pandas, R or a spreadsheet. The first line names the columns;
 * rows are separated by `\n`.
 *
 * Values: numbers as JavaScript prints them (shortest round-trip form: `0.1`, `1e-7`, `NaN`), booleans as
 * `true` / `false`, `null` / `undefined` as an empty field, strings as they are, anything else as JSON.
 *
 * @example
 * csvTable(['criterion', 'density'], [['snip', 0.1]]);       // 'criterion,density\nsnip,0.1\n'
 * csvTable(['criterion', 'density'], [['acme/x,y', 0.1]]);   // 'criterion,density\n"acme/x,y",0.1\n'
 */
import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean | null | undefined | object;

const CAST = {
  boolean: (value: boolean) => (value ? 'true' : 'false'),
  number: (value: number) => String(value),
  object: (value: object) => JSON.stringify(value),
};

/** The CSV text of a header and rows given as arrays in the header's order. */
export function csvTable(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return stringify([[...header], ...rows.map((r) => [...r])], { record_delimiter: '\n', cast: CAST });
}
