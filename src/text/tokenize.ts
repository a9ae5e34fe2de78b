// scikit-learn's default word analyzer: lowercase, then every match of token_pattern
// `(?u)\b\w\w+\b`. Python's Unicode `\w` is a letter (L*), a number (N*) or '_', and `\b\w\w+\b`
// under findall is exactly every maximal run of such characters two or more long, so one
// Unicode-aware class does it (JavaScript's own `\w` and `\b` are ASCII-only even with /u).
// Combining marks (Mn, Mc) are not word characters in Python either, so "café" typed with a
// combining accent splits the same way in both.

/** scikit-learn's default token_pattern, for reference and error messages. */
export const SKLEARN_TOKEN_PATTERN = String.raw`(?u)\b\w\w+\b`;

/** The JavaScript equivalent of SKLEARN_TOKEN_PATTERN under re.findall. */
export const TOKEN_PATTERN = /[\p{L}\p{N}_]{2,}/gu;

export interface TokenizeOptions {
  /** lowercase before tokenizing (scikit-learn's default: true) */
  lowercase?: boolean;
  /** a global regex whose matches are the tokens (default: TOKEN_PATTERN) */
  tokenPattern?: RegExp;
}

/** The tokens of one document, in order, as scikit-learn's build_tokenizer()(preprocess(doc)). */
export function tokenize(doc: string, { lowercase = true, tokenPattern = TOKEN_PATTERN }: TokenizeOptions = {}): string[] {
  if (!tokenPattern.global) throw new TypeError(`tokenPattern must have the global flag (g); got ${tokenPattern}.`);
  const text = lowercase ? doc.toLowerCase() : doc;
  return text.match(tokenPattern) ?? [];
}
