// A JSON array body read element by element, with a turn of the event loop every few
// hundred: parsing, hashing and checking an 8 MB array of 70k events in one go held the
// event loop for seconds (every other request waited; with SQLite, before the database
// work even began). Only the splitting is ours: each element is parsed by the lossless
// parser, and anything the splitter is unsure of goes to the caller's whole-body path.

/** Elements handled between two turns of the event loop. */
export const ELEMENTS_PER_TURN = 250;

/**
 * The texts of the top-level elements of a JSON array, or null when `text` is not a
 * non-empty array whose brackets and strings balance (let the whole-body parse say why).
 */
export function splitJsonArray(text: string): string[] | null {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  if (text.charCodeAt(start) !== 0x5b) return null;
  const elements: string[] = [];
  let depth = 0;
  let inString = false;
  let from = start + 1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) {
        elements.push(text.slice(from, i));
        for (let j = i + 1; j < text.length; j++) if (!isSpace(text.charCodeAt(j))) return null;
        return elements.some((e) => e.trim() === '') ? null : elements;
      }
      if (depth < 0) return null;
    } else if (c === 0x2c && depth === 1) {
      elements.push(text.slice(from, i));
      from = i + 1;
    }
  }
  return null;
}

/** Maps the elements, yielding to the event loop every ELEMENTS_PER_TURN of them. */
export async function mapWithTurns<T, R>(values: readonly T[], map: (value: T, index: number) => R): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && i % ELEMENTS_PER_TURN === 0) await nextTurn();
    out.push(map(values[i], i));
  }
  return out;
}

/** Lets timers and I/O (other requests) run before continuing. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
