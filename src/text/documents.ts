// Cutting raw text into the documents a TF-IDF matrix has rows for.

/**
 * Every run of whitespace that is not already one space: `text.replace(WHITESPACE_RUNS, ' ')` is
 * `text.replace(/\s+/g, ' ')`, but leaves the single spaces between words alone instead of
 * replacing each of them (an order of magnitude faster on the State of the Union texts).
 */
const WHITESPACE_RUNS = / \s+|[^\S ]\s*/g;

/** Paragraphs: runs of text separated by blank lines, whitespace collapsed, empty ones dropped. */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[^\S\n]*\n/)
    .map((p) => p.replace(WHITESPACE_RUNS, ' ').trim())
    .filter((p) => p.length > 0);
}

/** Sentences: text up to and including a run of . ! or ? (and closing quotes or brackets). */
const SENTENCE = /[^.!?]+(?:[.!?]+["'”’)\]]*|$)/g;

/**
 * Passages of whole sentences, each at least `minWords` words long, for text whose paragraph
 * breaks are lost (the State of the Union addresses are stored one line each). A short tail (under
 * half of minWords) joins the passage before it.
 */
export function splitPassages(text: string, minWords = 100): string[] {
  const sentences = text.replace(WHITESPACE_RUNS, ' ').match(SENTENCE) ?? [];
  const passages: string[] = [];
  let current: string[] = [];
  let words = 0;
  for (const raw of sentences) {
    const s = raw.trim();
    if (!s) continue;
    current.push(s);
    words += wordCount(s);
    if (words >= minWords) {
      passages.push(current.join(' '));
      current = [];
      words = 0;
    }
  }
  if (current.length > 0) {
    if (passages.length > 0 && words < minWords / 2) passages[passages.length - 1] += ` ${current.join(' ')}`;
    else passages.push(current.join(' '));
  }
  return passages;
}

/** s.split(' ').length, without the array: whitespace is already single spaces. */
function wordCount(s: string): number {
  let words = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 32) words++;
  return words;
}
