/**
 * Parses an array as the Gaia archive writes it in CSV: "(1.2, 3.4, ...)" or
 * "[1.2, 3.4, ...]" (also bare "1.2,3.4"). An empty string or "()" is an empty array.
 * Returns null when an element is not a number, so the caller can name the column.
 */
export function parseNumberArray(text: string): Float64Array | null {
  let s = text.trim();
  if ((s.startsWith('(') && s.endsWith(')')) || (s.startsWith('[') && s.endsWith(']'))) s = s.slice(1, -1);
  s = s.trim();
  if (s === '') return new Float64Array(0);
  const parts = s.split(',');
  const out = new Float64Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].trim();
    const v = p === '' ? NaN : Number(p);
    if (Number.isNaN(v) && !/^[+-]?nan$/i.test(p)) return null;
    out[i] = v;
  }
  return out;
}

/** Splits one CSV line into fields, honouring double quotes ("" is an escaped quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
